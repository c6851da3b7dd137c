package dev.bourse.server.listing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bourse.instrument.SymbolState;
import dev.bourse.server.control.ControlPlane;
import dev.bourse.server.http.Json;
import dev.bourse.server.shard.SymbolChangeRefused;

import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A {@code PUT /instruments/{instId}} body as the control plane sends it, checked for form: known fields
 * only (a typo must not silently mean "keep the old value"), decimals as exact strings, whole numbers as
 * numbers. Whether the rules make sense (tick x lot exact, min &lt;= max ...) is the core's builder's call
 * once the stored definition is known ({@link #spec}).
 *
 * <pre>
 * {"generation":7, "shard":1, "state":"live|suspend|cancel_only" (listing only),
 *  "spec":{"baseCcy","quoteCcy","baseScale","quoteScale","tickSz","lotSz","minSz","maxSz","refPx",
 *          "priceBandBps","breaker":{"moveBps","windowMs"},"fees":{"maker","taker"}}}
 * </pre>
 * Absent optional fields keep the stored value of a listed instrument, and take the defaults below for a
 * new one.
 */
public record InstrumentRequest(String instId, long generation, int shard, SymbolState initialState, String baseCcy,
                                String quoteCcy, Integer baseScale, Integer quoteScale, String tickSz, String lotSz,
                                String minSz, String maxSz, String refPx, Integer priceBandBps, Integer breakerBps,
                                Long breakerWindowMillis, String makerFee, String takerFee) {
    /** Fees of a new instrument that names none: OKX's regular spot tier (maker 0.08 %, taker 0.1 %). */
    public static final String DEFAULT_MAKER_FEE = "0.0008";
    public static final String DEFAULT_TAKER_FEE = "0.001";

    private static final Set<String> TOP = Set.of("generation", "shard", "state", "spec");
    private static final Set<String> SPEC = Set.of("baseCcy", "quoteCcy", "baseScale", "quoteScale", "tickSz", "lotSz", "minSz",
            "maxSz", "refPx", "priceBandBps", "breaker", "fees");
    private static final Set<String> BREAKER = Set.of("moveBps", "windowMs");
    private static final Set<String> FEES = Set.of("maker", "taker");
    private static final Pattern UNSIGNED = Pattern.compile("\\d{1,30}(\\.\\d{1,30})?");
    private static final Pattern SIGNED = Pattern.compile("-?\\d{1,30}(\\.\\d{1,30})?");
    private static final Pattern INST_ID = Pattern.compile("[A-Z0-9]{1,16}-[A-Z0-9]{1,16}");
    private static final Pattern CCY = Pattern.compile("[A-Z0-9]{1,16}");

    /**
     * Reads a body.
     *
     * @throws SymbolChangeRefused 50000 for no body, 50014 for a missing field, 51000 for anything malformed
     */
    public static InstrumentRequest parse(String instId, JsonNode body) {
        checkInstId(instId);
        if (!(body instanceof ObjectNode top)) {
            throw new SymbolChangeRefused("50000", "Body for PUT request cannot be empty.");
        }
        known(top, TOP, "");
        long generation = generation(top);
        Long shard = whole(top, "shard", "", 0, 1023);
        if (shard == null) {
            throw missing("shard");
        }
        SymbolState state = SymbolState.TRADING;
        if (top.hasNonNull("state")) {
            state = ControlPlane.parseState(top.get("state").asText());
            if (state == null || !top.get("state").isTextual()) {
                throw bad("state", "live, cancel_only or suspend");
            }
        }
        if (!(top.get("spec") instanceof ObjectNode spec)) {
            throw missing("spec");
        }
        known(spec, SPEC, "spec.");
        String base = ccy(spec, "baseCcy");
        String quote = ccy(spec, "quoteCcy");
        Long baseScale = whole(spec, "baseScale", "spec.", 0, 18);
        Long quoteScale = whole(spec, "quoteScale", "spec.", 0, 18);
        String tick = decimal(spec, "tickSz", true, false);
        String lot = decimal(spec, "lotSz", true, false);
        String min = decimal(spec, "minSz", true, false);
        String max = decimal(spec, "maxSz", true, false);
        String ref = decimal(spec, "refPx", false, false);
        Long band = whole(spec, "priceBandBps", "spec.", 0, 9_999);
        Integer breakerBps = null;
        Long window = null;
        if (spec.has("breaker") && !spec.get("breaker").isNull()) {
            if (!(spec.get("breaker") instanceof ObjectNode b)) {
                throw bad("spec.breaker", "an object {\"moveBps\", \"windowMs\"}");
            }
            known(b, BREAKER, "spec.breaker.");
            Long bps = whole(b, "moveBps", "spec.breaker.", 0, 9_999);
            Long ms = whole(b, "windowMs", "spec.breaker.", 0, 86_400_000);
            if (bps == null) {
                throw missing("spec.breaker.moveBps");
            }
            if (bps > 0 && (ms == null || ms == 0)) {
                throw bad("spec.breaker.windowMs", "a positive window in milliseconds when moveBps > 0");
            }
            breakerBps = bps.intValue();
            window = bps == 0 ? 0L : ms;
        }
        String maker = null;
        String taker = null;
        if (spec.has("fees") && !spec.get("fees").isNull()) {
            if (!(spec.get("fees") instanceof ObjectNode f)) {
                throw bad("spec.fees", "an object {\"maker\", \"taker\"}");
            }
            known(f, FEES, "spec.fees.");
            maker = decimal(f, "maker", true, true);
            taker = decimal(f, "taker", true, true);
        }
        if (!instId.equals(base + "-" + quote)) {
            throw new SymbolChangeRefused("51000", "Parameter spec error: " + instId + " must be listed as baseCcy-quoteCcy, not "
                    + base + "-" + quote);
        }
        return new InstrumentRequest(instId, generation, shard.intValue(), state, base, quote,
                baseScale == null ? null : baseScale.intValue(), quoteScale == null ? null : quoteScale.intValue(), tick, lot,
                min, max, ref, band == null ? null : band.intValue(), breakerBps, window, maker, taker);
    }

    /**
     * The definition to store: this request over {@code current} (the stored one, or null for a new
     * instrument), prices at {@code priceScale} decimals.
     */
    public InstrumentSpec spec(InstrumentSpec current, int priceScale) {
        boolean fresh = current == null;
        return new InstrumentSpec(instId, baseCcy, quoteCcy, tickSz, lotSz, minSz, maxSz,
                priceBandBps != null ? priceBandBps : fresh ? 0 : current.bandBps(),
                refPx != null ? refPx : fresh ? "0" : current.refPx(),
                breakerBps != null ? breakerBps : fresh ? 0 : current.breakerBps(),
                breakerWindowMillis != null ? breakerWindowMillis : fresh ? 0 : current.breakerWindowMillis(),
                makerFee != null ? makerFee : fresh ? DEFAULT_MAKER_FEE : current.makerFeeRate(),
                takerFee != null ? takerFee : fresh ? DEFAULT_TAKER_FEE : current.takerFeeRate(),
                priceScale);
    }

    /** The path's instId: BASE-QUOTE in capitals and digits. */
    public static void checkInstId(String instId) {
        if (instId == null || !INST_ID.matcher(instId).matches()) {
            throw new SymbolChangeRefused("51000", "Parameter instId error: BASE-QUOTE of A-Z0-9, e.g. BTC-USDT");
        }
    }

    /** {@code generation}: absent = 0 (not from the control plane), else a whole number >= 0. */
    public static long generation(ObjectNode body) {
        Long g = whole(body, "generation", "", 0, Long.MAX_VALUE);
        return g == null ? 0 : g;
    }

    /** Refuses fields outside {@code allowed}, naming the first. */
    public static void known(ObjectNode n, Set<String> allowed, String prefix) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw new SymbolChangeRefused("51000", "Parameter " + prefix + f + " error: unknown field (known: "
                        + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
            }
        }
    }

    /** A whole number in [min, max] given as a JSON number or digit string; null when absent. */
    public static Long whole(ObjectNode n, String field, String prefix, long min, long max) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        long x;
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            x = v.asLong();
        } else if (v.isTextual() && v.asText().matches("\\d{1,18}")) {
            x = Long.parseLong(v.asText());
        } else {
            throw bad(prefix + field, "a whole number");
        }
        if (x < min || x > max) {
            throw bad(prefix + field, "a whole number in " + min + ".." + max);
        }
        return x;
    }

    private static String ccy(ObjectNode spec, String field) {
        String v = spec.hasNonNull(field) ? spec.get(field).asText() : null;
        if (v == null || v.isEmpty()) {
            throw missing("spec." + field);
        }
        if (!spec.get(field).isTextual() || !CCY.matcher(v).matches()) {
            throw bad("spec." + field, "1-16 of A-Z0-9");
        }
        return v;
    }

    /** An exact decimal string in canonical form (no trailing zeros): "0.10" is "0.1". */
    private static String decimal(ObjectNode n, String field, boolean required, boolean signed) {
        JsonNode v = n.get(field);
        String name = (signed ? "spec.fees." : "spec.") + field;
        if (v == null || v.isNull()) {
            if (required) {
                throw missing(name);
            }
            return null;
        }
        if (!v.isTextual() || !(signed ? SIGNED : UNSIGNED).matcher(v.asText()).matches()) {
            throw bad(name, "a decimal string such as \"0.1\"");
        }
        BigDecimal d = new BigDecimal(v.asText()).stripTrailingZeros();
        return d.scale() < 0 ? d.setScale(0).toPlainString() : d.toPlainString();
    }

    private static SymbolChangeRefused missing(String field) {
        return new SymbolChangeRefused("50014", "Parameter " + field + " can not be empty.");
    }

    private static SymbolChangeRefused bad(String field, String expected) {
        return new SymbolChangeRefused("51000", "Parameter " + field + " error: expected " + expected);
    }

    /** The spec part of a stored definition in the request's shape (what GET answers). */
    public static ObjectNode specJson(InstrumentSpec s, int baseScale, int quoteScale) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("baseCcy", s.baseCcy());
        n.put("quoteCcy", s.quoteCcy());
        n.put("baseScale", baseScale);
        n.put("quoteScale", quoteScale);
        n.put("tickSz", s.tickSz());
        n.put("lotSz", s.lotSz());
        n.put("minSz", s.minSz());
        n.put("maxSz", s.maxSz());
        n.put("refPx", s.refPx());
        n.put("priceBandBps", s.bandBps());
        ObjectNode b = n.putObject("breaker");
        b.put("moveBps", s.breakerBps());
        b.put("windowMs", s.breakerWindowMillis());
        ObjectNode f = n.putObject("fees");
        f.put("maker", s.makerFeeRate());
        f.put("taker", s.takerFeeRate());
        n.put("priceScale", s.effectivePriceScale());
        return n;
    }
}
