package dev.bourse.operator.shards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bourse.operator.Durations;
import dev.bourse.operator.model.SymbolState;
import dev.bourse.operator.model.TradingSymbolSpec;

/**
 * A TradingSymbol as the engine's instrument API takes it ({@code PUT /internal/v1/instruments/{instId}}):
 * {@code {"generation", "shard", "spec": {...}}}, plus {@code "state"} when the instrument is listed for the first
 * time. The breaker window ({@code 60s}) becomes milliseconds; the CRD's defaults are filled in.
 */
public final class EngineInstrument {
    /** The CRD's default band, used when a resource comes without it. */
    static final int DEFAULT_BAND_BPS = 500;

    private EngineInstrument() {
    }

    public static ObjectNode body(TradingSymbolSpec spec, long generation, int shard, SymbolState initialState) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode n = f.objectNode();
        n.put("generation", generation);
        n.put("shard", shard);
        if (initialState != null) {
            n.put("state", initialState.engineName());
        }
        ObjectNode s = n.putObject("spec");
        s.put("baseCcy", spec.baseCcy);
        s.put("quoteCcy", spec.quoteCcy);
        if (spec.baseScale != null) {
            s.put("baseScale", spec.baseScale);
        }
        if (spec.quoteScale != null) {
            s.put("quoteScale", spec.quoteScale);
        }
        s.put("tickSz", spec.tickSz);
        s.put("lotSz", spec.lotSz);
        s.put("minSz", spec.minSz);
        s.put("maxSz", spec.maxSz);
        s.put("refPx", spec.refPx);
        s.put("priceBandBps", spec.priceBandBps == null ? DEFAULT_BAND_BPS : spec.priceBandBps);
        if (spec.breaker != null) {
            ObjectNode b = s.putObject("breaker");
            b.put("moveBps", spec.breaker.moveBps);
            b.put("windowMs", Durations.parse(spec.breaker.window).toMillis());
        }
        if (spec.fees != null) {
            ObjectNode fe = s.putObject("fees");
            fe.put("maker", spec.fees.maker);
            fe.put("taker", spec.fees.taker);
        }
        return n;
    }

    /** The desired state, {@code Trading} when the resource does not say. */
    public static SymbolState desiredState(TradingSymbolSpec spec) {
        return spec.state == null ? SymbolState.Trading : spec.state;
    }

    /**
     * One instrument as the engine lists it.
     *
     * @param state  {@code live}, {@code cancel_only} or {@code suspend}
     * @param loaded the answering pod's shard has it in memory (meaningful on the owner only)
     */
    public record Row(String instId, int shard, long generation, String state, boolean loaded) {
        public static Row fromJson(JsonNode d) {
            return new Row(d.path("instId").asText(), d.path("shard").asInt(-1), d.path("generation").asLong(),
                    d.path("state").asText(null), d.path("loaded").asBoolean());
        }

        public SymbolState symbolState() {
            return state == null ? null : SymbolState.fromEngine(state);
        }
    }
}
