package dev.bourse.server.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bourse.order.OrderType;
import dev.bourse.server.http.Json;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The desired state of one kill switch, as an operator (admin API) or the control plane (internal
 * API, the TradingSwitch resource) writes it. Parsing is strict: a definition either is complete and
 * valid or is refused with the reason, so a typo can never silently become "no restriction".
 *
 * @param scope              what it covers: everything, some symbols, some users or some assets
 * @param mode               what it lets through (see {@link SwitchMode})
 * @param haltWithdrawals    stop withdrawals (global, users or assets)
 * @param readOnlyMarketData stop depth pushes and snapshots changing, keep trades (global or symbols)
 * @param rateLimit          tighter per-instrument trade rate limits (global or symbols), or null
 * @param priceBandBps       tighter price protection band in bps, 0 = none (global or symbols)
 * @param disabledOrdTypes   order types refused (global or symbols)
 * @param drain              the control plane wants the covered shards drained: implies at least cancel-only
 * @param reason             why, for the audit trail and the traders' error message
 */
public record SwitchSpec(Scope scope, SwitchMode mode, boolean haltWithdrawals, boolean readOnlyMarketData,
                         RateLimitOverride rateLimit, int priceBandBps, Set<OrderType> disabledOrdTypes, boolean drain,
                         String reason) {
    private static final Pattern INST_ID = Pattern.compile("[A-Z0-9]{1,15}-[A-Z0-9]{1,15}");
    private static final Pattern ASSET = Pattern.compile("[A-Z0-9]{1,16}");
    private static final int MAX_TARGETS = 1_000;
    private static final Set<String> FIELDS = Set.of("scope", "mode", "haltWithdrawals", "readOnlyMarketData", "rateLimit",
            "priceBandBps", "disabledOrdTypes", "drain", "reason", "generation");

    public enum ScopeKind { GLOBAL, SYMBOLS, USERS, ASSETS }

    /** What a switch covers: exactly one kind, with its targets (empty for global). */
    public record Scope(ScopeKind kind, Set<String> symbols, Set<Long> users, Set<String> assets) {
        public static final Scope GLOBAL = new Scope(ScopeKind.GLOBAL, Set.of(), Set.of(), Set.of());

        public static Scope symbols(Set<String> s) {
            return new Scope(ScopeKind.SYMBOLS, Collections.unmodifiableSet(new TreeSet<>(s)), Set.of(), Set.of());
        }

        public static Scope users(Set<Long> u) {
            return new Scope(ScopeKind.USERS, Set.of(), Collections.unmodifiableSet(new TreeSet<>(u)), Set.of());
        }

        public static Scope assets(Set<String> a) {
            return new Scope(ScopeKind.ASSETS, Set.of(), Set.of(), Collections.unmodifiableSet(new TreeSet<>(a)));
        }
    }

    /** Per-instrument trade limits scaled by {@code factor} (0 &lt; f ≤ 1) or capped at {@code max} per window. */
    public record RateLimitOverride(BigDecimal factor, Integer max) {
        /** The stricter of two overrides, judged on a limit of 60 per window (OKX's order limit). */
        static RateLimitOverride stricter(RateLimitOverride a, RateLimitOverride b) {
            if (a == null) {
                return b;
            }
            if (b == null) {
                return a;
            }
            return a.applyTo(60) <= b.applyTo(60) ? a : b;
        }

        int applyTo(int limit) {
            if (max != null) {
                return Math.min(limit, max);
            }
            return Math.max(1, new BigDecimal(limit).multiply(factor).intValue());
        }
    }

    public SwitchSpec {
        disabledOrdTypes = disabledOrdTypes == null || disabledOrdTypes.isEmpty() ? Set.of()
                : Collections.unmodifiableSet(EnumSet.copyOf(disabledOrdTypes));
    }

    /** The mode actually enforced: a drain implies at least cancel-only. */
    public SwitchMode effectiveMode() {
        return drain ? SwitchMode.stricter(mode, SwitchMode.CANCEL_ONLY) : mode;
    }

    /** A user freeze: new orders and withdrawals stop, cancels stay open. */
    public static SwitchSpec freezeUser(long userId, String reason) {
        return new SwitchSpec(Scope.users(Set.of(userId)), SwitchMode.CANCEL_ONLY, true, false, null, 0, Set.of(), false,
                reason);
    }

    /** An asset freeze: no new orders on its symbols, no withdrawals of it; cancels stay open. */
    public static SwitchSpec freezeAsset(String asset, String reason) {
        return new SwitchSpec(Scope.assets(Set.of(asset)), SwitchMode.CANCEL_ONLY, true, false, null, 0, Set.of(), false,
                reason);
    }

    // ------------------------------------------------------------------ JSON

    public static SwitchSpec parse(JsonNode n) throws SwitchSpecException {
        if (n == null || !n.isObject()) {
            throw new SwitchSpecException("50000", "Body must be a JSON object describing the switch.");
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                // a misspelt restriction would otherwise be silently ignored
                throw new SwitchSpecException("51000", "Parameter " + f + " error: unknown field of a switch");
            }
        }
        Scope scope = parseScope(n.get("scope"));
        SwitchMode mode = SwitchMode.NORMAL;
        if (present(n, "mode")) {
            mode = SwitchMode.parse(n.get("mode").asText());
            if (mode == null) {
                throw new SwitchSpecException("51000", "Parameter mode error: one of normal, pause_orders, cancel_only, read_only");
            }
        }
        boolean haltWithdrawals = bool(n, "haltWithdrawals");
        boolean readOnlyMd = bool(n, "readOnlyMarketData");
        boolean drain = bool(n, "drain");
        RateLimitOverride rate = parseRate(n.get("rateLimit"));
        int band = 0;
        if (present(n, "priceBandBps")) {
            JsonNode b = n.get("priceBandBps");
            if (!(b.isIntegralNumber() || (b.isTextual() && b.asText().matches("\\d{1,4}")))) {
                throw new SwitchSpecException("51000", "Parameter priceBandBps error: an integer 1..9999");
            }
            band = b.asInt();
            if (band < 0 || band >= 10_000) {
                throw new SwitchSpecException("51000", "Parameter priceBandBps error: an integer 1..9999 (0 = none)");
            }
        }
        Set<OrderType> disabled = EnumSet.noneOf(OrderType.class);
        if (present(n, "disabledOrdTypes")) {
            JsonNode d = n.get("disabledOrdTypes");
            if (!d.isArray()) {
                throw new SwitchSpecException("51000", "Parameter disabledOrdTypes error: an array such as [\"market\"]");
            }
            for (JsonNode t : d) {
                OrderType type = OrderType.fromOkx(t.asText().toLowerCase(Locale.ROOT));
                if (type == null) {
                    throw new SwitchSpecException("51000", "Parameter disabledOrdTypes error: unknown ordType " + t.asText());
                }
                disabled.add(type);
            }
        }
        String reason = present(n, "reason") ? n.get("reason").asText().trim() : "";
        if (reason.isEmpty() || reason.length() > 256) {
            throw new SwitchSpecException("50014", "Parameter reason can not be empty (1-256 characters: why, for the audit trail).");
        }
        boolean symbolLevel = scope.kind() == ScopeKind.GLOBAL || scope.kind() == ScopeKind.SYMBOLS;
        boolean fundsLevel = scope.kind() != ScopeKind.SYMBOLS;
        if (!symbolLevel && (readOnlyMd || rate != null || band != 0 || !disabled.isEmpty())) {
            throw new SwitchSpecException("51000", "Parameter scope error: readOnlyMarketData, rateLimit, priceBandBps and "
                    + "disabledOrdTypes apply to the global or a symbols scope");
        }
        if (!fundsLevel && haltWithdrawals) {
            throw new SwitchSpecException("51000", "Parameter scope error: haltWithdrawals applies to the global, users or assets scope");
        }
        return new SwitchSpec(scope, mode, haltWithdrawals, readOnlyMd, rate, band, disabled, drain, reason);
    }

    private static Scope parseScope(JsonNode s) throws SwitchSpecException {
        if (s == null || s.isNull() || (s.isTextual() && s.asText().equals("global"))) {
            return Scope.GLOBAL;
        }
        if (!s.isObject() || s.size() != 1) {
            throw new SwitchSpecException("51000", "Parameter scope error: exactly one of {\"global\":true}, {\"symbols\":[...]}, "
                    + "{\"users\":[...]}, {\"assets\":[...]}");
        }
        if (s.has("global")) {
            if (!s.get("global").asBoolean(false)) {
                throw new SwitchSpecException("51000", "Parameter scope error: global must be true");
            }
            return Scope.GLOBAL;
        }
        String kind = s.fieldNames().next();
        JsonNode list = s.get(kind);
        if (!list.isArray() || list.isEmpty() || list.size() > MAX_TARGETS) {
            throw new SwitchSpecException("51000", "Parameter scope." + kind + " error: a non-empty array of at most " + MAX_TARGETS);
        }
        switch (kind) {
            case "symbols" -> {
                Set<String> out = new TreeSet<>();
                for (JsonNode x : list) {
                    String id = x.asText();
                    if (!INST_ID.matcher(id).matches()) {
                        throw new SwitchSpecException("51000", "Parameter scope.symbols error: " + id + " is not an instId");
                    }
                    out.add(id);
                }
                return Scope.symbols(out);
            }
            case "users" -> {
                Set<Long> out = new TreeSet<>();
                for (JsonNode x : list) {
                    long id;
                    try {
                        id = Long.parseLong(x.asText());
                    } catch (NumberFormatException e) {
                        id = -1;
                    }
                    if (id <= 0) {
                        throw new SwitchSpecException("51000", "Parameter scope.users error: " + x.asText() + " is not a user id");
                    }
                    out.add(id);
                }
                return Scope.users(out);
            }
            case "assets" -> {
                Set<String> out = new TreeSet<>();
                for (JsonNode x : list) {
                    String a = x.asText();
                    if (!ASSET.matcher(a).matches()) {
                        throw new SwitchSpecException("51000", "Parameter scope.assets error: " + a + " is not an asset code");
                    }
                    out.add(a);
                }
                return Scope.assets(out);
            }
            default -> throw new SwitchSpecException("51000", "Parameter scope error: unknown scope " + kind);
        }
    }

    private static RateLimitOverride parseRate(JsonNode r) throws SwitchSpecException {
        if (r == null || r.isNull()) {
            return null;
        }
        String usage = "Parameter rateLimit error: {\"factor\":\"0.5\"} (0 < factor <= 1) or {\"max\":10} (requests per window)";
        if (!r.isObject() || r.size() != 1) {
            throw new SwitchSpecException("51000", usage);
        }
        if (r.has("factor")) {
            BigDecimal f;
            try {
                f = new BigDecimal(r.get("factor").asText());
            } catch (NumberFormatException e) {
                throw new SwitchSpecException("51000", usage);
            }
            if (f.signum() <= 0 || f.compareTo(BigDecimal.ONE) > 0) {
                throw new SwitchSpecException("51000", usage);
            }
            return new RateLimitOverride(f.stripTrailingZeros(), null);
        }
        if (r.has("max")) {
            JsonNode m = r.get("max");
            if (!(m.isIntegralNumber() || m.asText().matches("\\d{1,9}"))) {
                throw new SwitchSpecException("51000", usage);
            }
            return new RateLimitOverride(null, m.asInt());
        }
        throw new SwitchSpecException("51000", usage);
    }

    private static boolean present(JsonNode n, String f) {
        return n.has(f) && !n.get(f).isNull();
    }

    private static boolean bool(JsonNode n, String f) throws SwitchSpecException {
        if (!present(n, f)) {
            return false;
        }
        JsonNode v = n.get(f);
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        if (v.isTextual() && (v.asText().equals("true") || v.asText().equals("false"))) {
            return Boolean.parseBoolean(v.asText());
        }
        throw new SwitchSpecException("51000", "Parameter " + f + " error: true or false");
    }

    public ObjectNode toJson() {
        ObjectNode n = Json.MAPPER.createObjectNode();
        ObjectNode s = n.putObject("scope");
        switch (scope.kind()) {
            case GLOBAL -> s.put("global", true);
            case SYMBOLS -> scope.symbols().forEach(s.putArray("symbols")::add);
            case USERS -> {
                ArrayNode a = s.putArray("users");
                scope.users().forEach(a::add);
            }
            case ASSETS -> scope.assets().forEach(s.putArray("assets")::add);
        }
        n.put("mode", mode.wire());
        n.put("haltWithdrawals", haltWithdrawals);
        n.put("readOnlyMarketData", readOnlyMarketData);
        if (rateLimit != null) {
            ObjectNode r = n.putObject("rateLimit");
            if (rateLimit.factor() != null) {
                r.put("factor", rateLimit.factor().toPlainString());
            } else {
                r.put("max", rateLimit.max());
            }
        }
        n.put("priceBandBps", priceBandBps);
        ArrayNode d = n.putArray("disabledOrdTypes");
        disabledOrdTypes.forEach(t -> d.add(t.okx()));
        n.put("drain", drain);
        n.put("reason", reason);
        return n;
    }
}
