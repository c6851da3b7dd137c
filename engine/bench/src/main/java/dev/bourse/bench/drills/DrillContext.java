package dev.bourse.bench.drills;

import dev.bourse.bench.cli.CliArgs;
import dev.bourse.bench.cli.CliArgs.UsageException;
import dev.bourse.bench.exchange.BourseAdmin;
import dev.bourse.bench.exchange.ExchangeTokens;
import dev.bourse.bench.exchange.TraderAccount;
import dev.bourse.bench.exchange.TraderAccounts;
import dev.bourse.bench.load.Market;
import dev.bourse.client.ClientConfig;
import dev.bourse.client.OkxClient;
import dev.bourse.client.auth.Credentials;
import dev.bourse.client.auth.ServerClock;
import dev.bourse.client.rest.gate.GateConfig;
import dev.bourse.client.rest.market.OrderBook;
import dev.bourse.client.rest.market.Ticker;
import dev.bourse.client.rest.publicdata.Instrument;
import dev.bourse.client.rest.trade.CancelRequest;
import dev.bourse.client.rest.trade.Order;
import dev.bourse.client.ws.OkxWebSocket;
import dev.bourse.client.ws.WsConfig;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * What every drill needs: where the exchange is, which instrument to trade, trading accounts (API keys given on the
 * command line, or accounts created and funded through the operator APIs), SDK clients that are closed when the
 * drill ends, and the instrument's increments and reference price.
 */
public final class DrillContext implements AutoCloseable {
    static final Set<String> COMMON = Set.of("url", "inst", "ref-px", "secrets", "internal-token", "admin-token", "key");

    public static final String COMMON_USAGE = """
            common options
              --url URL              Bourse base URL (default $BOURSE_URL, else http://127.0.0.1:8080)
              --inst ID              instrument to trade (default BTC-USDT)
              --ref-px PX            price to trade around when the instrument has no last trade and no two-sided
                                     book (default 60000, the dev profile's BTC-USDT reference)
              --key K:SECRET:PASS    an API key to trade with (repeat; default $BOURSE_KEYS, comma-separated);
                                     with fewer keys than the drill needs, it creates funded accounts instead:
              --secrets FILE         properties with INTERNAL_TOKEN and ADMIN_TOKEN
                                     (default data/dev-secrets.properties when it exists)
              --internal-token T, --admin-token T   (else $INTERNAL_TOKEN, $ADMIN_TOKEN)
            """;

    private final String drill;
    private final String url;
    private final String instId;
    private final BigDecimal refPx;
    private final List<Credentials> keys;
    private final ExchangeTokens tokens;
    private final CliArgs args;
    private final ServerClock clock = new ServerClock();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    private DrillContext(String drill, String url, String instId, BigDecimal refPx, List<Credentials> keys,
                         ExchangeTokens tokens, CliArgs args) {
        this.drill = drill;
        this.url = url;
        this.instId = instId;
        this.refPx = refPx;
        this.keys = keys;
        this.tokens = tokens;
        this.args = args;
    }

    static DrillContext parse(Drill drill, String[] argv) {
        Set<String> valued = new HashSet<>(COMMON);
        valued.addAll(drill.options());
        CliArgs a = CliArgs.parse(argv, valued, Set.of("help"));
        if (a.flag("help")) {
            throw new UsageException("");
        }
        String url = a.string("url", envOr("BOURSE_URL", "http://127.0.0.1:8080")).replaceAll("/+$", "");
        try {
            URI u = URI.create(url);
            if (u.getHost() == null || !(url.startsWith("http://") || url.startsWith("https://"))) {
                throw new IllegalArgumentException("no host");
            }
        } catch (IllegalArgumentException e) {
            throw new UsageException("--url must be http(s)://host[:port]: " + url);
        }
        List<Credentials> keys = new ArrayList<>();
        List<String> given = new ArrayList<>(a.all("key"));
        if (given.isEmpty() && System.getenv("BOURSE_KEYS") != null) {
            for (String k : System.getenv("BOURSE_KEYS").split(",")) {
                if (!k.isBlank()) {
                    given.add(k.trim());
                }
            }
        }
        for (String k : given) {
            String[] p = k.split(":", 3);
            if (p.length != 3 || p[0].isBlank() || p[1].isBlank() || p[2].isBlank()) {
                throw new UsageException("--key must be apiKey:secretKey:passphrase");
            }
            keys.add(new Credentials(p[0], p[1], p[2]));
        }
        BigDecimal ref;
        try {
            ref = new BigDecimal(a.string("ref-px", "60000"));
        } catch (NumberFormatException e) {
            throw new UsageException("--ref-px is not a decimal: " + a.string("ref-px", ""));
        }
        if (ref.signum() <= 0) {
            throw new UsageException("--ref-px must be positive");
        }
        ExchangeTokens tokens = ExchangeTokens.resolve(a.string("internal-token", null), a.string("admin-token", null),
                a.has("secrets") ? Path.of(a.string("secrets", "")) : null, System.getenv());
        return new DrillContext(drill.name(), url, a.string("inst", "BTC-USDT"), ref, keys, tokens, a);
    }

    private static String envOr(String name, String def) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? def : v;
    }

    public String url() {
        return url;
    }

    public String instId() {
        return instId;
    }

    /** The drill's own options. */
    public CliArgs args() {
        return args;
    }

    public ServerClock clock() {
        return clock;
    }

    public String host() {
        return URI.create(url).getHost();
    }

    public int port() {
        URI u = URI.create(url);
        return u.getPort() > 0 ? u.getPort() : (url.startsWith("https") ? 443 : 80);
    }

    public String wsUrl(String path) {
        return url.replaceFirst("^http", "ws") + path;
    }

    /**
     * {@code n} trading accounts: the keys given on the command line when there are enough, else new accounts
     * {@code drill-<name>-<i>-<time>} funded with 1,000,000 of the quote currency and as much base currency.
     */
    public List<Credentials> traders(int n) throws InterruptedException {
        if (keys.size() >= n) {
            return keys.subList(0, n);
        }
        if (!tokens.complete()) {
            throw new IllegalStateException("this drill needs " + n + " API keys: give them with --key (or "
                    + "$BOURSE_KEYS), or let it create accounts with INTERNAL_TOKEN and ADMIN_TOKEN (--secrets "
                    + "data/dev-secrets.properties, --internal-token/--admin-token, or the environment); " + tokens);
        }
        Market m;
        try (OkxClient pub = OkxClient.create(ClientConfig.builder().baseUrl(url).build())) {
            m = market(pub);
        }
        Map<String, BigDecimal> funding = new LinkedHashMap<>();
        funding.put(m.quoteCcy(), new BigDecimal("1000000"));
        funding.put(m.baseCcy(), new BigDecimal("1000000").divide(m.mid(), 0, RoundingMode.CEILING));
        String tag = Long.toString(System.currentTimeMillis(), 36);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            names.add("drill-" + drill + "-" + i + "-" + tag);
        }
        try (BourseAdmin admin = new BourseAdmin(url, tokens)) {
            return new TraderAccounts(admin).createAll(names, funding, tag, n).stream()
                    .map(TraderAccount::credentials).toList();
        }
    }

    /** A REST client for {@code key} (null: public only) with {@code gate}; closed with the context. */
    public OkxClient client(Credentials key, GateConfig gate) {
        ClientConfig.Builder b = ClientConfig.builder().baseUrl(url).clock(clock).gate(gate);
        if (key != null) {
            b.credentials(key);
        }
        OkxClient c = OkxClient.create(b.build());
        closeables.add(c);
        return c;
    }

    public OkxClient client(Credentials key) {
        return client(key, GateConfig.defaults());
    }

    /** A WebSocket client on {@code url} (which may point at a {@link FaultProxy}); closed with the context. */
    public OkxWebSocket ws(String wsUrl, UnaryOperator<WsConfig.Builder> settings) {
        OkxWebSocket ws = new OkxWebSocket(settings.apply(WsConfig.builder(wsUrl).clock(clock)).build());
        closeables.add(ws);
        return ws;
    }

    /** Registers something to close when the drill ends (a proxy, a thread pool). */
    public <T extends AutoCloseable> T closeLater(T c) {
        closeables.add(c);
        return c;
    }

    /**
     * The instrument with its increments and the price to trade around: the last trade, else the mid of a two-sided
     * book, else {@code --ref-px}.
     */
    public Market market(OkxClient c) {
        Instrument i = c.publicData().instruments().instId(instId).execute().stream().findFirst().orElseThrow(() ->
                new IllegalArgumentException("--inst " + instId + " is not listed"));
        BigDecimal mid = refPx;
        Ticker t = c.market().ticker().instId(instId).execute();
        OrderBook b = c.market().books().instId(instId).sz(1).execute();
        if (t.last() != null && t.last().signum() > 0) {
            mid = t.last();
        } else if (!b.bids().isEmpty() && !b.asks().isEmpty()) {
            mid = b.bids().getFirst().px().add(b.asks().getFirst().px()).divide(BigDecimal.TWO);
        }
        return new Market(instId, i.baseCcy(), i.quoteCcy(), i.tickSz(), i.lotSz(), i.minSz(), mid);
    }

    /** Cancels every live order of the client's account on the drill's instrument (20 per request). */
    public static int cancelAll(OkxClient c, String instId) {
        int n = 0;
        for (int round = 0; round < 50; round++) {
            List<Order> live = c.trade().ordersPending().instId(instId).limit(100).execute();
            if (live.isEmpty()) {
                return n;
            }
            for (int from = 0; from < live.size(); from += 20) {
                var batch = c.trade().cancelBatchOrders();
                for (Order o : live.subList(from, Math.min(live.size(), from + 20))) {
                    batch.add(CancelRequest.byOrdId(instId, o.ordId()));
                }
                try {
                    batch.execute();
                } catch (RuntimeException partlyFinished) {
                    // orders that filled meanwhile cannot be cancelled; the next round sees what is left
                }
            }
            n += live.size();
        }
        return n;
    }

    @Override
    public void close() {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            try {
                closeables.get(i).close();
            } catch (Exception ignored) {
                // best effort: the drill's verdict is already known
            }
        }
    }
}
