package dev.bourse.operator.switches;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bourse.operator.model.SwitchMode;
import dev.bourse.operator.model.TradingSwitchSpec;

import java.util.List;

/**
 * A TradingSwitch as the engine's switch board takes it ({@code PUT /internal/v1/switches/{name}}, see
 * docs/control-plane.md): mode in lower snake case, false flags and absent settings left out (the engine refuses
 * unknown fields and settings that do not fit the scope), and the resource's generation so the engine refuses an
 * older one.
 */
public final class EngineSwitch {
    private EngineSwitch() {
    }

    public static ObjectNode body(TradingSwitchSpec spec, long generation) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode n = f.objectNode();
        ObjectNode scope = n.putObject("scope");
        TradingSwitchSpec.Scope s = spec.scope;
        if (s == null || Boolean.TRUE.equals(s.global)) {
            scope.put("global", true);
        } else if (notEmpty(s.symbols)) {
            ArrayNode a = scope.putArray("symbols");
            s.symbols.forEach(a::add);
        } else if (notEmpty(s.users)) {
            ArrayNode a = scope.putArray("users");
            s.users.forEach(a::add);
        } else if (notEmpty(s.assets)) {
            ArrayNode a = scope.putArray("assets");
            s.assets.forEach(a::add);
        } else {
            throw new IllegalArgumentException("scope must name exactly one of global, symbols, users, assets");
        }
        n.put("mode", (spec.mode == null ? SwitchMode.Normal : spec.mode).engineName());
        if (Boolean.TRUE.equals(spec.haltWithdrawals)) {
            n.put("haltWithdrawals", true);
        }
        if (Boolean.TRUE.equals(spec.readOnlyMarketData)) {
            n.put("readOnlyMarketData", true);
        }
        if (spec.rateLimit != null) {
            ObjectNode r = n.putObject("rateLimit");
            if (spec.rateLimit.factor != null) {
                r.put("factor", spec.rateLimit.factor);
            } else if (spec.rateLimit.max != null) {
                r.put("max", spec.rateLimit.max);
            }
        }
        if (spec.priceBandBps != null) {
            n.put("priceBandBps", spec.priceBandBps);
        }
        if (notEmpty(spec.disabledOrdTypes)) {
            ArrayNode a = n.putArray("disabledOrdTypes");
            spec.disabledOrdTypes.forEach(a::add);
        }
        if (Boolean.TRUE.equals(spec.drain)) {
            n.put("drain", true);
        }
        n.put("reason", spec.reason == null ? "" : spec.reason);
        n.put("generation", generation);
        return n;
    }

    /** Symbols of a symbols scope; empty for the other scopes. */
    public static List<String> scopeSymbols(TradingSwitchSpec spec) {
        return spec.scope != null && spec.scope.symbols != null ? List.copyOf(spec.scope.symbols) : List.of();
    }

    /** True for a symbols scope: only the shards owning those symbols are affected. */
    public static boolean symbolScoped(TradingSwitchSpec spec) {
        return spec.scope != null && notEmpty(spec.scope.symbols) && !Boolean.TRUE.equals(spec.scope.global);
    }

    private static boolean notEmpty(List<?> l) {
        return l != null && !l.isEmpty();
    }
}
