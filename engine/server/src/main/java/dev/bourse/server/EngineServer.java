package dev.bourse.server;

import dev.bourse.server.admin.AdminApi;
import dev.bourse.server.admin.AdminGate;
import dev.bourse.server.admin.AdminGateSettings;
import dev.bourse.server.admin.AuditApi;
import dev.bourse.server.admin.LedgerRepairApi;
import dev.bourse.server.admin.UsersApi;
import dev.bourse.server.ledger.LedgerRepair;
import dev.bourse.server.reconcile.FundsWatch;
import dev.bourse.server.wallet.SimulatedChain;
import dev.bourse.server.wallet.Wallet;
import dev.bourse.server.wallet.WalletAdminApi;
import dev.bourse.server.wallet.WalletEndpoints;
import dev.bourse.server.wallet.WalletInternalApi;
import dev.bourse.server.wallet.WalletSettings;
import dev.bourse.server.control.ControlAdminApi;
import dev.bourse.server.control.ControlInternalApi;
import dev.bourse.server.control.ControlPlane;
import dev.bourse.server.control.SwitchBoard;
import dev.bourse.server.control.SwitchSpec;
import dev.bourse.server.control.TradingPolicy;
import dev.bourse.server.admin.AuditLog;
import dev.bourse.server.api.AccountEndpoints;
import dev.bourse.server.api.PublicEndpoints;
import dev.bourse.server.api.RateGate;
import dev.bourse.server.api.RateLimitedOrderEntry;
import dev.bourse.server.api.RateLimitGate;
import dev.bourse.server.api.TradeEndpoints;
import dev.bourse.server.api.TraderApi;
import dev.bourse.server.auth.ApiKeyStore;
import dev.bourse.server.auth.AuthConfig;
import dev.bourse.server.auth.HmacApiKeyVerifier;
import dev.bourse.server.auth.PassphraseHasher;
import dev.bourse.server.auth.SecretBox;
import dev.bourse.book.DepthSnapshot;
import dev.bourse.matching.OrderBook;
import dev.bourse.order.Side;
import dev.bourse.server.api.MarketEndpoints;
import dev.bourse.server.config.EngineConfig;
import dev.bourse.server.marketdata.BookSnapshot;
import dev.bourse.server.marketdata.FillHistory;
import dev.bourse.server.marketdata.MarketData;
import dev.bourse.server.events.RedisStreamsEventBus;
import dev.bourse.server.routing.PeerClient;
import dev.bourse.server.routing.PeerResponse;
import dev.bourse.server.routing.ShardDirectory;
import dev.bourse.server.ledger.AccountBalances;
import dev.bourse.server.ws.WsGateway;
import dev.bourse.server.ws.WsSettings;
import dev.bourse.server.ratelimit.RateLimiter;
import dev.bourse.server.ratelimit.RateLimitRules;
import dev.bourse.server.ratelimit.RateLimits;
import dev.bourse.server.trading.CancelAllAfter;
import dev.bourse.server.trading.InstrumentCatalog;
import dev.bourse.server.trading.ShardForwarder;
import dev.bourse.server.trading.ShardOrderEntry;
import dev.bourse.server.dev.DemoData;
import dev.bourse.server.events.EventBus;
import dev.bourse.server.events.InProcessEventBus;
import dev.bourse.server.http.InternalApi;
import dev.bourse.server.ledger.Ledger;
import dev.bourse.server.listing.InstrumentAdmin;
import dev.bourse.server.listing.InstrumentEndpoints;
import dev.bourse.server.listing.Listing;
import dev.bourse.server.shard.OrderQueries;
import dev.bourse.server.shard.Shard;
import dev.bourse.server.store.Database;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.sql.SQLException;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The engine process: migrates the schema, takes its shard's lease, rebuilds the books, then serves.
 * Ready ({@code /health/ready}) only once recovery finished and the lease is held.
 */
public final class EngineServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EngineServer.class.getName());

    private final EngineConfig config;
    private final Database db;
    private final PrometheusMeterRegistry meters;
    private EventBus bus;
    private Shard shard;
    private WebServer web;
    private CancelAllAfter cancelAllAfter;
    private MarketData marketData;
    private SwitchBoard switches;
    private InstrumentAdmin instruments;
    private Wallet wallet;
    private FundsWatch fundsWatch;
    private WsGateway ws;
    private InstrumentCatalog catalog;
    private PeerClient peers;
    /** Forwarded requests block on the peer's answer: one virtual thread each. */
    private final ExecutorService forwarding = Executors.newVirtualThreadPerTaskExecutor();
    private volatile boolean recovered;
    private boolean closed;

    private EngineServer(EngineConfig config) {
        this.config = config;
        this.db = Database.open(config.dbUrl(), config.dbUser(), config.dbPassword(), config.dbPool(),
                config.dbSslMode());
        this.meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(meters);
        new JvmGcMetrics().bindTo(meters);
        new JvmThreadMetrics().bindTo(meters);
    }

    /** Starts the engine and registers a shutdown hook that stops it gracefully. */
    public static EngineServer start(EngineConfig config) {
        LOG.info("starting Bourse engine: " + config);
        if (config.secretsGenerated()) {
            System.err.println("""
                    ********************************************************************************
                    DEV PROFILE: throw-away secrets were generated for this run. Never use them in
                    production (BOURSE_PROFILE=prod refuses to start without real ones).
                      INTERNAL_TOKEN=%s
                      ADMIN_TOKEN=%s
                    ********************************************************************************"""
                    .formatted(config.internalToken(), config.adminToken()));
        }
        EngineServer server = null;
        try {
            server = new EngineServer(config); // opens the database pool
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "engine-shutdown"));
            server.run();
        } catch (SQLException | InterruptedException | RuntimeException e) {
            if (!(e instanceof ListenerUnavailable)) { // Helidon already logged why the listener failed
                LOG.log(Level.SEVERE, "engine failed to start", e);
            }
            if (server != null) {
                server.close();
            }
            throw new StartFailure("engine failed to start: " + e.getMessage(), e);
        }
        return server;
    }

    /** The engine did not start; what it had started is stopped again. The message is one line for the operator. */
    public static final class StartFailure extends RuntimeException {
        StartFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The HTTP listener could not be opened: the port is taken, or the address is not this host's. */
    private static final class ListenerUnavailable extends RuntimeException {
        ListenerUnavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private void run() throws SQLException, InterruptedException {
        db.migrate();
        // the bus needs the schema (it reads which shards exist); the shard needs the bus
        ShardDirectory directory = ShardDirectory.of(config, db);
        bus = config.redisAddr() == null
                ? new InProcessEventBus(config.eventReplayCount(), meters)
                : new RedisStreamsEventBus(config.redisAddr(), config.redisKeyPrefix(), config.shardId(),
                        directory::shardIds, config.eventReplayCount(), meters);
        shard = new Shard(db, bus, meters, config.shardId(), config.engineId(), config.leaseTtlMillis(),
                config.queueCapacity(), config.maxBatch());
        peers = new PeerClient(directory, config.internalToken(), meters);
        Ledger ledger = new Ledger(db);
        Listing listing = new Listing(db);
        ledger.ensureSystemAccounts(config.shardId() + 1);
        // funds-safety gauges for the P0 alerts (docs/metrics.md): negative balances, latest reconciliation
        fundsWatch = new FundsWatch(db, meters).start(FundsWatch.intervalFrom(EngineServer::environment));
        Map<String, Long> demoUsers = Map.of();
        if (config.demoData()) {
            demoUsers = DemoData.install(ledger, listing, config.shardId());
        }

        // trader API: keys and signatures, rate limits, order entry routed by shard
        Function<String, String> env = EngineServer::environment;
        AuthConfig authConfig = AuthConfig.fromEnvironment(env);
        SecretBox box = SecretBox.fromAuthTokenSecret(config.authTokenSecret());
        AuditLog audit = new AuditLog(meters);
        ApiKeyStore apiKeys = new ApiKeyStore(db, box, new PassphraseHasher(authConfig.pbkdf2Iterations()),
                audit, Clock.systemUTC(), config.authTokenTtl());
        HmacApiKeyVerifier verifier = new HmacApiKeyVerifier(apiKeys, authConfig, meters, Clock.systemUTC());
        RateLimits rateLimits = new RateLimits(RateLimitRules.fromEnvironment(env), new RateLimiter(meters),
                System::currentTimeMillis);
        RateGate gate = new RateLimitGate(rateLimits);
        catalog = new InstrumentCatalog(db).load();
        // instruments are listed and moved at runtime: the internal API and the shard look them up each time
        InternalApi internal = new InternalApi(shard, instId -> {
            InstrumentCatalog.Listed l = catalog.byInstId(instId);
            return l == null ? null : l.instrument();
        }, catalog::asset, ledger, new OrderQueries(db), config.internalToken());
        shard.knowListings(instId -> directory.shardOf(instId).isPresent());
        ShardOrderEntry orderEntry = new ShardOrderEntry(catalog, shard,
                (shardId, path, body) -> CompletableFuture.supplyAsync(() -> peers.post(shardId, path, body).envelope(),
                        forwarding), meters);
        cancelAllAfter = new CancelAllAfter(orderEntry, meters);
        // market data: the projection of committed events every REST and WS reader shares
        marketData = new MarketData(listing::allInstruments, this::bookSnapshot, meters);
        FillHistory fills = new FillHistory(db);
        marketData.start(bus, () -> fills.load(System.currentTimeMillis() - MarketData.DAY_MILLIS, MarketData.TRADES_KEPT));
        // kill switches: loaded before the shard starts, enforced by its sequencer at batch boundaries
        switches = new SwitchBoard(db, audit, meters).load();
        switches.onChange(shard::applyPolicy);
        switches.onChange(policy -> applyRateLimitOverrides(policy, rateLimits));
        switches.onChange(policy -> marketData.pauseDepth(policy::readOnlyMarketData));
        switches.start(config.switchPollMillis());
        // the wallet: Bourse ships only the simulated chain, so production runs it only when told to
        boolean devProfile = config.profile() == EngineConfig.Profile.DEV;
        if (devProfile || "simulated".equals(env.apply("WALLET_CHAIN"))) {
            wallet = new Wallet(db, listing, audit, switches, new SimulatedChain(db), meters, Clock.systemUTC(),
                    WalletSettings.fromEnvironment(env, devProfile));
            wallet.start();
        } else {
            LOG.warning("wallet disabled: no chain adapter configured (WALLET_CHAIN=simulated runs the simulated chain)");
        }
        ControlPlane control = new ControlPlane(switches, shard, directory, peers, db, audit, () -> recovered);
        instruments = new InstrumentAdmin(db, shard, peers, audit, meters, () -> refreshRouting(directory));
        AccountBalances balances = AccountBalances.from(db);
        ws = new WsGateway(marketData, bus, verifier, new RateLimitedOrderEntry(orderEntry, gate, catalog), balances, meters,
                WsSettings.fromEnvironment());
        TraderApi trader = new TraderApi(verifier, gate, meters);
        new PublicEndpoints(catalog, db).register(trader);
        new MarketEndpoints(marketData, catalog, db).register(trader);
        new TradeEndpoints(orderEntry, cancelAllAfter, catalog, gate, db).register(trader);
        new AccountEndpoints(catalog, balances).register(trader);
        if (wallet != null) {
            new WalletEndpoints(wallet).register(trader);
        }
        AdminGate adminGate = new AdminGate(config.adminToken(), AdminGateSettings.fromEnvironment(env), meters,
                System::currentTimeMillis);
        AdminApi admin = new AdminApi(apiKeys, meters);
        Map<String, DemoData.DemoCredentials> demoKeys = config.demoData()
                ? DemoData.installApiKeys(apiKeys, box, demoUsers) : Map.of();
        List<io.helidon.webserver.http.HttpService> internalServices = new ArrayList<>(List.of(internal,
                new ControlInternalApi(control, meters), InstrumentEndpoints.internal(instruments)));
        List<io.helidon.webserver.http.HttpService> adminServices = new ArrayList<>(List.of(adminGate, admin,
                new ControlAdminApi(control, meters), InstrumentEndpoints.admin(instruments), new UsersApi(db, audit, meters),
                new LedgerRepairApi(new LedgerRepair(db, audit), meters), new AuditApi(db)));
        if (wallet != null) {
            internalServices.add(new WalletInternalApi(wallet, meters));
            adminServices.add(new WalletAdminApi(wallet, meters));
        }
        // the server answers while the shard recovers: live, not ready, commands refused as unavailable
        web = WebServer.builder()
                .host(config.host())
                .port(config.port())
                .shutdownHook(false)
                .connectionOptions(o -> o.tcpNoDelay(true))
                .addFeature(ObserveFeature.builder()
                        .endpoint("/")
                        .addObserver(HealthObserver.builder()
                                .endpoint("/health")
                                .details(true)
                                .addCheck(() -> HealthCheckResponse.builder().status(true).build(), HealthCheckType.LIVENESS,
                                        "engine")
                                .addCheck(this::readiness, HealthCheckType.READINESS, "shard")
                                .build())
                        .build())
                .routing(r -> r.get("/metrics", (req, res) -> res
                                .header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")
                                .send(meters.scrape()))
                        // the token checks (InternalApi's, AdminGate) come first in each list: order is routing order
                        .register("/internal/v1", internalServices.toArray(io.helidon.webserver.http.HttpService[]::new))
                        .register("/admin/v1", adminServices.toArray(io.helidon.webserver.http.HttpService[]::new))
                        .register("/api/v5", trader))
                .addRouting(ws.routing())
                .build();
        startListener(web);
        shard.start();
        instruments.start(config.switchPollMillis());
        recovered = true;
        LOG.info("Bourse engine ready on http://" + config.host() + ":" + web.port() + " (shard " + config.shardId()
                + ", epoch " + shard.epoch() + ")");
        if (!demoUsers.isEmpty()) {
            System.err.println("demo accounts (funded with 10 BTC, 100 ETH, 1000000 USDT): " + demoUsers);
            System.err.println(DemoData.describe(demoKeys));
        }
    }

    /**
     * Opens the HTTP port, or throws. Helidon 4.1 only logs a failed bind and returns a server that is not running
     * (later versions throw): without this check the engine took its lease and called itself ready with nothing
     * listening.
     */
    private void startListener(WebServer server) {
        String address = config.host() + ":" + config.port();
        try {
            server.start();
        } catch (RuntimeException e) {
            throw new ListenerUnavailable("cannot listen on " + address + ": " + bindProblem(e), e);
        }
        if (!server.isRunning()) {
            throw new ListenerUnavailable("cannot listen on " + address + ": " + bindProblem(null), null);
        }
    }

    /**
     * Why the listener did not bind, for the one-line error: the cause when Helidon gave one, else what binding the
     * same address says now (Helidon 4.1 keeps the BindException to its log).
     */
    private String bindProblem(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return t.getMessage();
            }
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(config.host(), config.port()));
        } catch (IOException e) {
            return e.getMessage();
        }
        return failure != null && failure.getMessage() != null ? failure.getMessage()
                : "the HTTP listener did not start (see the log above)";
    }

    /**
     * A commit-consistent copy of a whole book for the projection: taken on the sequencer between batches,
     * after the previous batch committed and published its events, so the snapshot's seqId and the event
     * stream agree.
     */
    private CompletableFuture<BookSnapshot> bookSnapshot(String instId) {
        InstrumentCatalog.Listed l = catalog.byInstId(instId);
        if (l == null) {
            return CompletableFuture.failedFuture(new IllegalStateException(instId + " is not listed"));
        }
        if (l.shardId() != shard.shardId()) {
            // another pod's book: its internal API takes the snapshot the same way on its sequencer
            return CompletableFuture.supplyAsync(() -> {
                PeerResponse r = peers.depth(l.shardId(), instId, InternalApi.DEPTH_MAX_LEVELS);
                if (!r.ok()) {
                    throw new IllegalStateException("depth of " + instId + " from shard " + l.shardId() + ": "
                            + r.code() + " " + r.msg());
                }
                return BookSnapshot.fromInternalDepth(r.data().get(0), l.instrument().priceScale(),
                        l.instrument().base().scale());
            }, forwarding);
        }
        return shard.onSequencer(engine -> {
            int symbolId = engine.symbolId(instId);
            if (symbolId < 0) { // moving here or away: the projection asks again
                throw new IllegalStateException(instId + " is not loaded on shard " + shard.shardId());
            }
            OrderBook book = engine.book(symbolId);
            int levels = Math.max(1, Math.max(book.levelCount(Side.BUY), book.levelCount(Side.SELL)));
            return BookSnapshot.of(new DepthSnapshot(levels).capture(book));
        });
    }

    /** After an instrument was listed, changed or moved: this pod's catalog, routing and market data follow. */
    private void refreshRouting(ShardDirectory directory) {
        try {
            catalog.load();
            directory.refresh();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reload the instruments: " + e.getMessage(), e);
        }
        marketData.refreshInstruments();
    }

    /** Per-instrument trade limits as the switches say: tightened where one asks, configured elsewhere. */
    private void applyRateLimitOverrides(TradingPolicy policy, RateLimits rateLimits) {
        for (InstrumentCatalog.Listed l : catalog.all()) {
            SwitchSpec.RateLimitOverride o = policy.rateLimit(l.instId());
            if (o == null) {
                rateLimits.rules().relax(l.instId());
            } else if (o.max() != null) {
                rateLimits.rules().tightenTo(l.instId(), o.max());
            } else {
                rateLimits.rules().tighten(l.instId(), o.factor());
            }
        }
    }

    private static String environment(String name) {
        String v = System.getProperty(name);
        return v != null ? v : System.getenv(name);
    }

    private HealthCheckResponse readiness() {
        boolean ok = recovered && shard.ready();
        return HealthCheckResponse.builder().status(ok)
                .detail("recovered", recovered)
                .detail("shard", shard.shardId())
                .detail("epoch", shard.epoch())
                .detail("fenced", shard.fenced())
                .detail("queueLength", shard.queueLength())
                .build();
    }

    public int port() {
        return web.port();
    }

    public Shard shard() {
        return shard;
    }

    /** Graceful stop: no new requests, the shard commits what it has queued, then the pool closes. */
    @Override
    public synchronized void close() {
        // a failed start closes the engine, then the exit runs the shutdown hook: release everything once
        if (closed) {
            return;
        }
        closed = true;
        LOG.info("stopping Bourse engine");
        recovered = false;
        if (ws != null) {
            ws.announceShutdown();
        }
        if (instruments != null) {
            instruments.close(); // before the shard: its poll may hand the shard work
        }
        if (shard != null) {
            shard.close();
        }
        if (bus != null) {
            bus.close(); // after the shard: its last batches still go out
        }
        if (switches != null) {
            switches.close();
        }
        if (wallet != null) {
            wallet.close();
        }
        if (fundsWatch != null) {
            fundsWatch.close();
        }
        forwarding.shutdownNow();
        if (cancelAllAfter != null) {
            cancelAllAfter.close();
        }
        if (ws != null) {
            ws.close();
        }
        if (web != null) {
            web.stop();
            web = null;
        }
        if (marketData != null) {
            marketData.close();
        }
        db.close();
    }
}
