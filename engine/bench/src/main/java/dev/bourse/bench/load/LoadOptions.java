package dev.bourse.bench.load;

import dev.bourse.bench.cli.CliArgs;
import dev.bourse.bench.cli.CliArgs.UsageException;
import dev.bourse.client.rest.gate.RouteLimit;
import dev.bourse.client.rest.trade.OrderType;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a load run does, from the command line ({@link #parse}); {@link #USAGE} documents every option.
 *
 * @param makers        how many of the traders quote (the rest take)
 * @param mids          instrument -> mid price to quote around (else the last trade or the book's mid)
 * @param rate          requests per second offered in total (places, cancels and amends)
 * @param maxInflight   requests one trader may have unanswered at once (the next due one waits, and its latency
 *                      keeps counting from when it was due)
 * @param gate          false: the SDK's request gate is off (raw offered load; the exchange's limits answer 50011)
 * @param routeLimits   per-endpoint budgets of the gate that replace OKX's defaults (e.g. to match RATE_LIMITS)
 * @param amendShare    share of a maker's replacements done by amending the oldest quote (the rest cancel it)
 */
public record LoadOptions(String url, Path secrets, String internalToken, String adminToken, int traders, int makers,
                          List<String> symbols, Map<String, BigDecimal> mids, double rate, Duration duration,
                          Duration warmup, Entry entry, boolean gate, int maxConcurrent, List<RouteLimit> routeLimits,
                          int maxInflight, OrderMix makerMix, OrderMix takerMix, int quotes, int levels,
                          double amendShare, double spreadBps, double stepBps, BigDecimal notional, BigDecimal fund,
                          String userPrefix, Path out, Duration timeout, long seed, boolean keepOrders,
                          int setupParallelism) {

    /** How orders reach the exchange. */
    public enum Entry {
        REST, WS;

        public String label() {
            return name().toLowerCase();
        }
    }

    static final Set<String> VALUED = Set.of("url", "secrets", "internal-token", "admin-token", "traders", "makers",
            "symbols", "mid", "rate", "duration", "warmup", "entry", "max-concurrent", "route-limit", "max-inflight",
            "maker-mix", "taker-mix", "quotes", "levels", "amend-share", "spread-bps", "step-bps", "notional", "fund",
            "user-prefix", "out", "timeout", "seed", "setup-parallelism");
    static final Set<String> FLAGS = Set.of("no-gate", "keep-orders", "help");

    public static final String USAGE = """
            usage: engine/bench/load.sh [options]      (java -cp benchmarks.jar dev.bourse.bench.load.LoadGenerator)

            exchange and set-up
              --url URL                 Bourse base URL (default http://127.0.0.1:8080)
              --secrets FILE            properties file with INTERNAL_TOKEN and ADMIN_TOKEN
                                        (default data/dev-secrets.properties when it exists)
              --internal-token T        creates users, deposits, cancels leftovers (else $INTERNAL_TOKEN, --secrets)
              --admin-token T           creates the API keys (else $ADMIN_TOKEN, --secrets)
              --user-prefix P           traders are users P-m000, P-t000 ... (default load)
              --fund N                  quote-currency value deposited per currency and trader (default 1000000)
              --setup-parallelism N     accounts set up at once (default 4)
            traffic
              --traders N               simulated traders, one API key and connection set each (default 20)
              --makers N                of which market makers (default traders/2, at least 1)
              --symbols A,B             instruments (default every live SPOT instrument)
              --mid INST=PX,...         mid price per instrument (default last trade, else the book's mid)
              --rate R                  requests/s offered in total, open loop (default 1000)
              --duration D, --warmup D  measured time and unmeasured warm-up before it (default 30s, 5s)
              --entry rest|ws           REST orders (one OkxClient per trader) or WebSocket order ops (default rest)
              --max-inflight N          unanswered requests per trader before the next waits (default 8)
              --maker-mix SPEC          maker quote types (default post_only=70,limit=30)
              --taker-mix SPEC          taker order types (default ioc=40,market=20,fok=10,limit=30)
              --quotes N                resting quotes a maker keeps per side and instrument (default 3)
              --levels N                price levels the quotes spread over (default 5)
              --amend-share F           share of replacements done by amend (rest: cancel) (default 0.5)
              --spread-bps B            distance between best bid and best ask quotes (default 10)
              --step-bps B              distance between quote levels (default 2)
              --notional N              order value in quote currency (default 100)
            REST client
              --no-gate                 no request gate: raw offered load (the exchange answers 50011 past its limits)
              --max-concurrent N        gate: requests on the wire per trader (default 16)
              --route-limit R=N/W,...   gate: budget per endpoint, e.g. trade/order=600/2s (defaults: OKX's table)
              --timeout D               deadline of one request (default 10s)
            output
              --out DIR                 report.json and report.html (default load-report)
              --seed N                  random seed (default 1)
              --keep-orders             leave the traders' resting orders at the end (default: cancel them)
            """;

    public static LoadOptions parse(String[] argv) {
        CliArgs a = CliArgs.parse(argv, VALUED, FLAGS);
        if (a.flag("help")) {
            throw new UsageException("");
        }
        int traders = a.integer("traders", 20, 2, 10_000);
        // half makers: takers remove about a quote per order, so fewer makers leave the book empty most of the time
        int makers = a.integer("makers", Math.max(1, traders / 2), 1, traders - 1);
        Map<String, BigDecimal> mids = new LinkedHashMap<>();
        for (String m : a.all("mid")) {
            int eq = m.indexOf('=');
            if (eq <= 0) {
                throw new UsageException("--mid entries are INST=PRICE: " + m);
            }
            BigDecimal px;
            try {
                px = new BigDecimal(m.substring(eq + 1).trim());
            } catch (NumberFormatException e) {
                throw new UsageException("--mid price is not a decimal: " + m);
            }
            if (px.signum() <= 0) {
                throw new UsageException("--mid price must be positive: " + m);
            }
            mids.put(m.substring(0, eq).trim(), px);
        }
        Entry entry = switch (a.string("entry", "rest").toLowerCase()) {
            case "rest" -> Entry.REST;
            case "ws" -> Entry.WS;
            default -> throw new UsageException("--entry must be rest or ws: " + a.string("entry", ""));
        };
        Duration duration = a.duration("duration", Duration.ofSeconds(30));
        if (duration.toMillis() < 1000) {
            throw new UsageException("--duration must be at least 1s: " + duration);
        }
        Duration warmup = a.duration("warmup", Duration.ofSeconds(5));
        Duration timeout = a.duration("timeout", Duration.ofSeconds(10));
        if (timeout.isZero()) {
            throw new UsageException("--timeout must be positive");
        }
        double spread = a.decimal("spread-bps", 10, 0.01, 1000);
        double step = a.decimal("step-bps", 2, 0, 1000);
        int levels = a.integer("levels", 5, 1, 100);
        return new LoadOptions(
                a.string("url", "http://127.0.0.1:8080").replaceAll("/+$", ""),
                a.has("secrets") ? Path.of(a.string("secrets", "")) : null,
                a.string("internal-token", null), a.string("admin-token", null),
                traders, makers, a.all("symbols"), mids,
                a.decimal("rate", 1000, 0.1, 1_000_000), duration, warmup, entry,
                !a.flag("no-gate"), a.integer("max-concurrent", 16, 0, 10_000), routeLimits(a.all("route-limit")),
                a.integer("max-inflight", 8, 1, 10_000),
                OrderMix.parse("maker-mix", a.string("maker-mix", "post_only=70,limit=30"),
                        Set.of(OrderType.POST_ONLY, OrderType.LIMIT)),
                OrderMix.parse("taker-mix", a.string("taker-mix", "ioc=40,market=20,fok=10,limit=30"),
                        Set.of(OrderType.IOC, OrderType.MARKET, OrderType.FOK, OrderType.LIMIT)),
                a.integer("quotes", 3, 1, 100), levels, a.decimal("amend-share", 0.5, 0, 1), spread, step,
                positive(a, "notional", "100"), positive(a, "fund", "1000000"),
                userPrefix(a.string("user-prefix", "load")), Path.of(a.string("out", "load-report")), timeout,
                a.integer("seed", 1, Integer.MIN_VALUE, Integer.MAX_VALUE), a.flag("keep-orders"),
                a.integer("setup-parallelism", 4, 1, 64));
    }

    /** {@code rule=limit/window}, the syntax of the engine's RATE_LIMITS. */
    static List<RouteLimit> routeLimits(List<String> specs) {
        return specs.stream().map(s -> {
            int eq = s.indexOf('=');
            int slash = s.indexOf('/', eq + 1);
            if (eq <= 0 || slash < 0) {
                throw new UsageException("--route-limit entries are rule=limit/window, e.g. trade/order=600/2s: " + s);
            }
            int limit;
            try {
                limit = Integer.parseInt(s.substring(eq + 1, slash).trim());
            } catch (NumberFormatException e) {
                throw new UsageException("--route-limit limit is not a whole number: " + s);
            }
            if (limit < 1) {
                throw new UsageException("--route-limit limit must be at least 1: " + s);
            }
            Duration window = CliArgs.parseDuration("route-limit", s.substring(slash + 1));
            if (window.isZero()) {
                throw new UsageException("--route-limit window must be positive: " + s);
            }
            return new RouteLimit(s.substring(0, eq).trim(), limit, window);
        }).toList();
    }

    private static BigDecimal positive(CliArgs a, String name, String def) {
        String v = a.string(name, def);
        try {
            BigDecimal d = new BigDecimal(v.trim());
            if (d.signum() <= 0) {
                throw new UsageException("--" + name + " must be positive: " + v);
            }
            return d;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " is not a decimal: " + v);
        }
    }

    private static String userPrefix(String p) {
        if (!p.matches("[A-Za-z0-9._-]{1,40}")) {
            throw new UsageException("--user-prefix must be 1-40 of letters, digits, '.', '_', '-': " + p);
        }
        return p;
    }

    public int takers() {
        return traders - makers;
    }

    /** The options as the report shows them. */
    public Map<String, Object> plan() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("url", url);
        p.put("entry", entry.label());
        p.put("rate", rate);
        p.put("duration", duration.toMillis() / 1000.0 + " s");
        p.put("warmup", warmup.toMillis() / 1000.0 + " s");
        p.put("traders", traders);
        p.put("makers", makers);
        p.put("takers", takers());
        p.put("maxInflight", maxInflight);
        p.put("gate", gate ? "on (maxConcurrent " + maxConcurrent + (routeLimits.isEmpty() ? "" : ", " + routeLimits)
                + ")" : "off");
        p.put("makerMix", makerMix.toString());
        p.put("takerMix", takerMix.toString());
        p.put("quotes", quotes);
        p.put("levels", levels);
        p.put("amendShare", amendShare);
        p.put("spreadBps", spreadBps);
        p.put("stepBps", stepBps);
        p.put("notional", notional.toPlainString());
        p.put("seed", seed);
        return p;
    }
}
