package dev.bourse.client;

import dev.bourse.client.auth.ServerClock;
import dev.bourse.client.rest.RequestOptions;
import dev.bourse.client.rest.RestRequest;
import dev.bourse.client.rest.RestResponse;
import dev.bourse.client.rest.RestStats;
import dev.bourse.client.rest.RestTransport;
import dev.bourse.client.rest.account.AccountService;
import dev.bourse.client.rest.asset.AssetService;
import dev.bourse.client.rest.gate.Cancellation;
import dev.bourse.client.rest.gate.RequestGate;
import dev.bourse.client.rest.market.MarketService;
import dev.bourse.client.rest.publicdata.PublicDataService;
import dev.bourse.client.rest.trade.ClOrdIds;
import dev.bourse.client.rest.trade.TradeService;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;

import java.util.concurrent.TimeUnit;

/**
 * The SDK's REST entry point for Bourse and OKX (the same code; only {@link ClientConfig#baseUrl} differs).
 *
 * <pre>{@code
 * try (OkxClient c = OkxClient.create(ClientConfig.builder().baseUrl("http://127.0.0.1:8080")
 *         .credentials(key, secret, passphrase).build())) {
 *     c.syncTime();
 *     Ticker t = c.market().ticker().instId("BTC-USDT").execute();
 *     OrderAck a = c.trade().placeOrder().instId("BTC-USDT").side(Side.BUY).ordType(OrderType.LIMIT)
 *             .px("59000").sz("0.01").clOrdId(c.trade().clOrdIds().next()).execute();
 * }
 * }</pre>
 *
 * Thread-safe: one client per account, shared by all threads; the services it hands out are single-use builders.
 */
public final class OkxClient implements AutoCloseable {
    private final ClientConfig config;
    private final OkHttpClient http;
    private final boolean ownsHttp;
    private final RequestGate gate;
    private final RestTransport transport;
    private final MarketService market;
    private final PublicDataService publicData;
    private final TradeService trade;
    private final AccountService account;
    private final AssetService asset;

    private OkxClient(ClientConfig config) {
        this.config = config;
        this.ownsHttp = config.httpClient() == null;
        this.http = ownsHttp
                ? new OkHttpClient.Builder().connectTimeout(config.connectTimeout()).readTimeout(config.readTimeout())
                        .writeTimeout(config.writeTimeout())
                        .connectionPool(new ConnectionPool(idleConnections(config), 5, TimeUnit.MINUTES)).build()
                : config.httpClient();
        this.gate = new RequestGate(config.gate());
        this.transport = new RestTransport(new RestTransport.Settings(config.baseUrl(), config.credentials(),
                config.demoTrading(), config.userAgent(), config.requestTimeout(), config.retry()), http, gate,
                config.clock());
        this.market = new MarketService(transport);
        this.publicData = new PublicDataService(transport);
        this.trade = new TradeService(transport, new ClOrdIds(config.clOrdIdPrefix()));
        this.account = new AccountService(transport);
        this.asset = new AssetService(transport);
    }

    /**
     * Keep-alive connections the client's own pool keeps: as many as the gate lets run at once (okhttp's default of
     * five made a client with more requests in flight close and reopen a connection for most requests).
     */
    static int idleConnections(ClientConfig config) {
        int concurrent = config.gate().maxConcurrent();
        return concurrent == 0 ? UNGATED_IDLE_CONNECTIONS : Math.max(5, concurrent);
    }

    /** Idle connections kept when the gate does not bound concurrency. */
    static final int UNGATED_IDLE_CONNECTIONS = 32;

    public static OkxClient create(ClientConfig config) {
        return new OkxClient(config);
    }

    /** {@code /api/v5/market/…}: tickers, books, trades, candles. */
    public MarketService market() {
        return market;
    }

    /** {@code /api/v5/public/…}: time, instruments, underlying. */
    public PublicDataService publicData() {
        return publicData;
    }

    /** {@code /api/v5/trade/…}: orders, fills, cancel-all-after, account rate limit; {@code placeOrReconcile}. */
    public TradeService trade() {
        return trade;
    }

    /** {@code /api/v5/account/…}: balance, config. */
    public AccountService account() {
        return account;
    }

    /** {@code /api/v5/asset/…}: currencies, funding balances, deposits, withdrawals. */
    public AssetService asset() {
        return asset;
    }

    /**
     * Measures the server clock ({@code GET /api/v5/public/time}) and stores the offset in the shared
     * {@link ServerClock}, so signatures (REST and WebSocket login) carry the server's time. Run it at start-up and
     * after a 50102 (see {@code OkxErrors.isTimeSkew}).
     */
    public TimeSync syncTime() {
        return syncTime(RequestOptions.DEFAULT);
    }

    public TimeSync syncTime(RequestOptions options) {
        RestResponse r = transport.execute(RestRequest.get("/api/v5/public/time").build(), options, new Cancellation());
        long server = r.firstNode().path("ts").asLong();
        long offset = config.clock().record(server, r.sentAtMillis(), r.receivedAtMillis());
        return new TimeSync(server, r.sentAtMillis(), r.receivedAtMillis(), offset);
    }

    /** The shared server-time estimate. */
    public ServerClock clock() {
        return config.clock();
    }

    public RequestGate gate() {
        return gate;
    }

    /** Traffic counters and the gate's (for metrics and the runbook's evidence). */
    public RestStats stats() {
        return transport.stats();
    }

    /** For requests the typed services do not cover: build a {@link RestRequest} and execute it here. */
    public RestTransport transport() {
        return transport;
    }

    /** The okhttp client (to share its connection pool, e.g. with the WebSocket client). */
    public OkHttpClient httpClient() {
        return http;
    }

    public ClientConfig config() {
        return config;
    }

    /** Releases the okhttp client's threads and connections if this client made it. */
    @Override
    public void close() {
        if (ownsHttp) {
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }
    }
}
