package dev.bourse.server.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bourse.fixed.Decimals;
import dev.bourse.instrument.Instrument;
import dev.bourse.instrument.SymbolState;
import dev.bourse.server.http.Json;
import dev.bourse.server.store.Database;
import dev.bourse.server.trading.InstrumentCatalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code public/time}, {@code public/instruments}, {@code public/underlying}. */
public final class PublicEndpoints {
    /** Every instType OKX knows; Bourse lists SPOT only and answers the others with an empty list. */
    private static final Set<String> INST_TYPES = Set.of("SPOT", "MARGIN", "SWAP", "FUTURES", "OPTION", "EVENTS");

    private final InstrumentCatalog catalog;
    private final Database db;

    public PublicEndpoints(InstrumentCatalog catalog, Database db) {
        this.catalog = catalog;
        this.db = db;
    }

    public void register(TraderApi api) {
        api.get("/public/time", TraderApi.Access.PUBLIC, "public/time", this::time)
                .get("/public/instruments", TraderApi.Access.PUBLIC, "public/instruments", this::instruments)
                .get("/public/underlying", TraderApi.Access.PUBLIC, "public/underlying", this::underlying);
    }

    Reply time(ApiCall call) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("ts", Long.toString(System.currentTimeMillis()));
        return Reply.ok(n);
    }

    Reply underlying(ApiCall call) {
        instType(call);
        // no derivatives are listed, so no underlyings: OKX's shape is a list holding one list
        return Reply.ok(List.of(Json.MAPPER.createArrayNode()));
    }

    Reply instruments(ApiCall call) throws SQLException {
        String type = instType(call);
        String instId = call.query("instId");
        if (!"SPOT".equals(type)) {
            return Reply.ok(List.of());
        }
        Map<String, String> states = states();
        List<ObjectNode> out = new ArrayList<>();
        for (InstrumentCatalog.Listed l : catalog.all()) {
            if (instId != null && !instId.equals(l.instId())) {
                continue;
            }
            out.add(json(l, states.getOrDefault(l.instId(), SymbolState.TRADING.name())));
        }
        if (instId != null && out.isEmpty()) {
            throw ApiError.unknownInstrument();
        }
        return Reply.ok(out);
    }

    private static String instType(ApiCall call) {
        String type = call.requiredQuery("instType");
        if (!INST_TYPES.contains(type)) {
            throw ApiError.bad("instType");
        }
        return type;
    }

    private Map<String, String> states() throws SQLException {
        Map<String, String> out = new HashMap<>();
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT inst_id, state FROM markets");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2));
            }
        }
        return out;
    }

    private static ObjectNode json(InstrumentCatalog.Listed l, String state) {
        Instrument ins = l.instrument();
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("instType", "SPOT");
        n.put("instId", l.instId());
        n.put("instIdCode", l.instIdCode());
        n.put("uly", "");
        n.put("instFamily", "");
        n.put("category", "1");
        n.put("groupId", "1");
        n.put("baseCcy", ins.base().code());
        n.put("quoteCcy", ins.quote().code());
        n.put("settleCcy", "");
        n.put("ctVal", "");
        n.put("ctMult", "");
        n.put("ctValCcy", "");
        n.put("ctType", "");
        n.put("optType", "");
        n.put("stk", "");
        n.put("alias", "");
        n.put("listTime", Long.toString(l.listedAt()));
        n.put("contTdSwTime", "");
        n.put("preMktSwTime", "");
        n.put("openType", "");
        n.put("auctionEndTime", "");
        n.put("expTime", "");
        n.put("lever", "");
        n.put("tickSz", Decimals.format(ins.tickSize(), ins.priceScale()));
        n.put("lotSz", Decimals.format(ins.lotSize(), ins.base().scale()));
        n.put("minSz", Decimals.format(ins.minSize(), ins.base().scale()));
        n.put("maxLmtSz", Decimals.format(ins.maxSize(), ins.base().scale()));
        // OKX states a spot maxMktSz in quote currency (clients such as ccxt read it as the maximum order
        // cost); the engine caps market orders sized in base by maxSz and quote-sized ones by nothing but
        // the balance, so there is no quote maximum to state
        n.put("maxMktSz", "");
        n.put("maxLmtAmt", "");
        n.put("maxMktAmt", "");
        n.put("maxTwapSz", "");
        n.put("maxIcebergSz", "");
        n.put("maxTriggerSz", "");
        n.put("maxStopSz", "");
        n.put("futureSettlement", false);
        ArrayNode quotes = n.putArray("tradeQuoteCcyList");
        quotes.add(ins.quote().code());
        n.put("state", SymbolState.valueOf(state).okxState());
        n.put("ruleType", "normal");
        n.put("instCategory", "1");
        n.putArray("upcChg");
        return n;
    }
}
