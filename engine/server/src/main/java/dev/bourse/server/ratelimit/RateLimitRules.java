package dev.bourse.server.ratelimit;

import dev.bourse.server.config.ConfigException;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rate-limit rules: OKX's published limits by default (the "Rate Limit:" line of each endpoint's
 * documentation), overridable at start-up through {@code RATE_LIMITS}, and tightenable per instrument at
 * run time (the control plane's switches). Rule names are the endpoint path below {@code /api/v5/};
 * {@link #ruleFor} maps a request to its rule.
 */
public final class RateLimitRules {
    /** Account-wide order limit: new and amended orders over every instrument (OKX: 1000 / 2 s, code 50061). */
    public static final String ACCOUNT = "account";
    /** Public endpoints without a rule of their own. */
    public static final String PUBLIC = "public";
    /** Private endpoints without a rule of their own. */
    public static final String PRIVATE = "private";
    /** Order details ({@code GET /api/v5/trade/order}): its own name, the path is that of placing an order. */
    public static final String ORDER_DETAILS = "trade/order-details";

    private static final Pattern ENTRY = Pattern.compile("([A-Za-z0-9/_*-]+)=(\\d{1,9})/(\\d{0,9})(ms|s|m)");

    private final Map<String, RateLimitRule> rules;
    /** instId -> rule name -> tightened rule; empty unless the control plane tightened something. */
    private final Map<String, Map<String, RateLimitRule>> tightened = new ConcurrentHashMap<>();
    private final Map<String, String> tighteningNotes = new ConcurrentHashMap<>();

    private RateLimitRules(Map<String, RateLimitRule> rules) {
        this.rules = Collections.unmodifiableMap(new LinkedHashMap<>(rules));
    }

    /** OKX's limits (spot, non-VIP). */
    public static RateLimitRules defaults() {
        return new RateLimitRules(defaultRules());
    }

    private static Map<String, RateLimitRule> defaultRules() {
        Map<String, RateLimitRule> m = new LinkedHashMap<>();
        // trading: per user and instrument, shared by REST and WebSocket; batch endpoints count orders
        add(m, "trade/order", 60, 2000, RateLimitScope.USER_INST);
        add(m, "trade/batch-orders", 300, 2000, RateLimitScope.USER_INST);
        add(m, "trade/cancel-order", 60, 2000, RateLimitScope.USER_INST);
        add(m, "trade/cancel-batch-orders", 300, 2000, RateLimitScope.USER_INST);
        add(m, "trade/amend-order", 60, 2000, RateLimitScope.USER_INST);
        add(m, "trade/amend-batch-orders", 300, 2000, RateLimitScope.USER_INST);
        add(m, ORDER_DETAILS, 60, 2000, RateLimitScope.USER_INST);
        add(m, "trade/mass-cancel", 5, 2000, RateLimitScope.USER);
        add(m, "trade/cancel-all-after", 1, 1000, RateLimitScope.USER);
        add(m, "trade/order-precheck", 5, 2000, RateLimitScope.USER);
        add(m, "trade/orders-pending", 60, 2000, RateLimitScope.USER);
        add(m, "trade/orders-history", 40, 2000, RateLimitScope.USER);
        add(m, "trade/orders-history-archive", 20, 2000, RateLimitScope.USER);
        add(m, "trade/fills", 60, 2000, RateLimitScope.USER);
        add(m, "trade/fills-history", 10, 2000, RateLimitScope.USER);
        add(m, "trade/account-rate-limit", 1, 1000, RateLimitScope.USER);
        add(m, "account/balance", 10, 2000, RateLimitScope.USER);
        add(m, "account/config", 5, 2000, RateLimitScope.USER);
        add(m, "account/account-position-risk", 10, 2000, RateLimitScope.USER);
        add(m, "asset/balances", 6, 1000, RateLimitScope.USER);
        add(m, "asset/currencies", 6, 1000, RateLimitScope.USER);
        add(m, "asset/deposit-address", 6, 1000, RateLimitScope.USER);
        add(m, "asset/deposit-history", 6, 1000, RateLimitScope.USER);
        add(m, "asset/withdrawal-history", 6, 1000, RateLimitScope.USER);
        add(m, "asset/withdrawal", 6, 1000, RateLimitScope.USER);
        add(m, "asset/cancel-withdrawal", 6, 1000, RateLimitScope.USER);
        add(m, "asset/transfer", 2, 1000, RateLimitScope.USER);
        add(m, PRIVATE, 20, 2000, RateLimitScope.USER);
        // public market data: per IP
        add(m, "public/instruments", 20, 2000, RateLimitScope.IP);
        add(m, "public/time", 10, 2000, RateLimitScope.IP);
        add(m, "market/tickers", 20, 2000, RateLimitScope.IP);
        add(m, "market/ticker", 20, 2000, RateLimitScope.IP);
        add(m, "market/books", 40, 2000, RateLimitScope.IP);
        add(m, "market/books-full", 10, 2000, RateLimitScope.IP);
        add(m, "market/candles", 40, 2000, RateLimitScope.IP);
        add(m, "market/history-candles", 20, 2000, RateLimitScope.IP);
        add(m, "market/trades", 100, 2000, RateLimitScope.IP);
        add(m, "market/history-trades", 20, 2000, RateLimitScope.IP);
        add(m, "market/platform-24-volume", 2, 2000, RateLimitScope.IP);
        add(m, PUBLIC, 20, 2000, RateLimitScope.IP);
        add(m, ACCOUNT, 1000, 2000, RateLimitScope.ACCOUNT);
        return m;
    }

    private static void add(Map<String, RateLimitRule> m, String name, int limit, long windowMillis, RateLimitScope scope) {
        m.put(name, new RateLimitRule(name, limit, windowMillis, scope));
    }

    /** Defaults with the overrides of {@code RATE_LIMITS}, if set. */
    public static RateLimitRules fromEnvironment(Function<String, String> env) {
        return parse(env.apply("RATE_LIMITS"));
    }

    /**
     * Defaults overridden by {@code spec}: comma-separated {@code name=limit/window}, the window in
     * {@code ms}, {@code s} or {@code m} ({@code s} alone is one second), a name ending in {@code *}
     * applying to every rule it prefixes. E.g. {@code trade/order=60/2s,market/*=20/2s,account=1000/2s}.
     * Unknown names and malformed entries are all reported at once ({@link ConfigException}).
     */
    public static RateLimitRules parse(String spec) {
        Map<String, RateLimitRule> m = defaultRules();
        if (spec == null || spec.isBlank()) {
            return new RateLimitRules(m);
        }
        List<String> problems = new ArrayList<>();
        for (String raw : spec.split(",", -1)) {
            String entry = raw.trim().replace(" ", "");
            Matcher e = ENTRY.matcher(entry);
            if (!e.matches()) {
                problems.add("RATE_LIMITS entry must look like trade/order=60/2s: '" + raw.trim() + "'");
                continue;
            }
            String name = e.group(1);
            int limit = Integer.parseInt(e.group(2));
            long amount = e.group(3).isEmpty() ? 1 : Long.parseLong(e.group(3));
            long window = switch (e.group(4)) {
                case "ms" -> amount;
                case "s" -> amount * 1000;
                default -> amount * 60_000;
            };
            if (window <= 0 || window > 3_600_000) {
                problems.add("RATE_LIMITS window must be between 1 ms and 1 hour: '" + entry + "'");
                continue;
            }
            if (limit > RateLimiter.MAX_LIMIT) {
                problems.add("RATE_LIMITS limit must be at most " + RateLimiter.MAX_LIMIT + ": '" + entry + "'");
                continue;
            }
            boolean prefix = name.endsWith("*");
            String stem = prefix ? name.substring(0, name.length() - 1) : name;
            int matched = 0;
            for (RateLimitRule r : List.copyOf(m.values())) {
                if (prefix ? r.name().startsWith(stem) : r.name().equals(stem)) {
                    m.put(r.name(), new RateLimitRule(r.name(), limit, window, r.scope()));
                    matched++;
                }
            }
            if (matched == 0) {
                problems.add("RATE_LIMITS names no known rule: '" + name + "' (known: " + String.join(", ", m.keySet()) + ")");
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new RateLimitRules(m);
    }

    /** The rule called {@code name}; throws IllegalArgumentException for an unknown name. */
    public RateLimitRule rule(String name) {
        RateLimitRule r = rules.get(name);
        if (r == null) {
            throw new IllegalArgumentException("no rate-limit rule " + name);
        }
        return r;
    }

    public Collection<RateLimitRule> all() {
        return rules.values();
    }

    /**
     * The rule name for a request: {@code method} and the path below {@code /api/v5/} (with or without
     * that prefix and any query). Unlisted paths fall back to {@link #PUBLIC} for {@code market/} and
     * {@code public/}, {@link #PRIVATE} otherwise.
     */
    public String ruleFor(String method, String path) {
        String p = path;
        int q = p.indexOf('?');
        if (q >= 0) {
            p = p.substring(0, q);
        }
        if (p.startsWith("/api/v5/")) {
            p = p.substring("/api/v5/".length());
        } else if (p.startsWith("/")) {
            p = p.substring(1);
        }
        if (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if ("trade/order".equals(p) && "GET".equalsIgnoreCase(method)) {
            return ORDER_DETAILS;
        }
        if (rules.containsKey(p) && !p.equals(ACCOUNT) && !p.equals(PUBLIC) && !p.equals(PRIVATE)) {
            return p;
        }
        return p.startsWith("market/") || p.startsWith("public/") ? PUBLIC : PRIVATE;
    }

    /** The rule as it applies to {@code instId}: tightened if the control plane tightened it there. */
    public RateLimitRule effective(String name, String instId) {
        RateLimitRule base = rule(name);
        if (instId == null || tightened.isEmpty()) {
            return base;
        }
        Map<String, RateLimitRule> t = tightened.get(instId);
        if (t == null) {
            return base;
        }
        return t.getOrDefault(name, base);
    }

    /**
     * Scales every per-instrument limit of {@code instId} by {@code factor} (0 &lt; factor ≤ 1), rounded
     * down but never below 1. Replaces an earlier tightening of the same instrument.
     */
    public void tighten(String instId, BigDecimal factor) {
        if (factor == null || factor.signum() <= 0 || factor.compareTo(BigDecimal.ONE) > 0) {
            throw new IllegalArgumentException("tightening factor must be in (0, 1]: " + factor);
        }
        Map<String, RateLimitRule> t = new LinkedHashMap<>();
        for (RateLimitRule r : rules.values()) {
            if (r.scope() == RateLimitScope.USER_INST) {
                int limit = new BigDecimal(r.limit()).multiply(factor).setScale(0, RoundingMode.DOWN).intValueExact();
                t.put(r.name(), r.withLimit(Math.max(1, limit)));
            }
        }
        tightened.put(instId, Map.copyOf(t));
        tighteningNotes.put(instId, "x" + factor.stripTrailingZeros().toPlainString());
    }

    /**
     * Caps every per-instrument limit of {@code instId} at {@code limit} per window (0 = no request
     * passes). Replaces an earlier tightening of the same instrument.
     */
    public void tightenTo(String instId, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + limit);
        }
        Map<String, RateLimitRule> t = new LinkedHashMap<>();
        for (RateLimitRule r : rules.values()) {
            if (r.scope() == RateLimitScope.USER_INST) {
                t.put(r.name(), r.withLimit(Math.min(r.limit(), limit)));
            }
        }
        tightened.put(instId, Map.copyOf(t));
        tighteningNotes.put(instId, "max " + limit);
    }

    /** Back to the configured limits for {@code instId}. */
    public void relax(String instId) {
        tightened.remove(instId);
        tighteningNotes.remove(instId);
    }

    /** instId -> how it is tightened ("x0.5", "max 10"), for status pages. */
    public Map<String, String> tightenings() {
        return Map.copyOf(tighteningNotes);
    }
}
