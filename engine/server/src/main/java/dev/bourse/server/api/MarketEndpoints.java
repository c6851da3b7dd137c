package dev.bourse.server.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bourse.fixed.Decimals;
import dev.bourse.instrument.Instrument;
import dev.bourse.order.Side;
import dev.bourse.server.http.Json;
import dev.bourse.server.marketdata.Bar;
import dev.bourse.server.marketdata.BookDepth;
import dev.bourse.server.marketdata.BookLevel;
import dev.bourse.server.marketdata.Candle;
import dev.bourse.server.marketdata.MarketData;
import dev.bourse.server.marketdata.Ticker;
import dev.bourse.server.marketdata.Trade;
import dev.bourse.server.store.Database;
import dev.bourse.server.trading.InstrumentCatalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code /api/v5/market/*}: served from the market-data projection, which holds only committed events,
 * so every pod answers for every instrument; {@code history-trades} reads the {@code fills} table.
 */
public final class MarketEndpoints {
    private final MarketData md;
    private final InstrumentCatalog catalog;
    private final Database db;

    public MarketEndpoints(MarketData md, InstrumentCatalog catalog, Database db) {
        this.md = md;
        this.catalog = catalog;
        this.db = db;
    }

    public void register(TraderApi api) {
        TraderApi.Access pub = TraderApi.Access.PUBLIC;
        api.get("/market/books", pub, "market/books", this::books)
                .get("/market/ticker", pub, "market/ticker", this::ticker)
                .get("/market/tickers", pub, "market/tickers", this::tickers)
                .get("/market/trades", pub, "market/trades", this::trades)
                .get("/market/history-trades", pub, "market/history-trades", this::historyTrades)
                .get("/market/candles", pub, "market/candles", call -> candles(call, 300))
                .get("/market/history-candles", pub, "market/history-candles", call -> candles(call, 100));
    }

    private InstrumentCatalog.Listed instrument(ApiCall call) {
        InstrumentCatalog.Listed l = catalog.byInstId(call.requiredQuery("instId"));
        if (l == null) {
            throw ApiError.unknownInstrument();
        }
        return l;
    }

    private Reply books(ApiCall call) {
        InstrumentCatalog.Listed l = instrument(call);
        int sz = call.intQuery("sz", 1, 1, MarketData.BOOKS_DEPTH);
        Optional<BookDepth> book = md.book(l.instId(), sz);
        if (book.isEmpty() || !book.get().ready()) {
            // the pod has not yet got this book's snapshot: better no answer than a wrong book
            throw ApiError.unavailable();
        }
        BookDepth b = book.get();
        ObjectNode n = Json.MAPPER.createObjectNode();
        levels(n.putArray("asks"), b.asks());
        levels(n.putArray("bids"), b.bids());
        n.put("ts", Long.toString(b.ts()));
        n.put("seqId", b.seqId());
        return Reply.ok(n);
    }

    private static void levels(ArrayNode out, List<BookLevel> levels) {
        for (BookLevel lv : levels) {
            ArrayNode a = out.addArray();
            lv.toOkx().forEach(a::add);
        }
    }

    private Reply ticker(ApiCall call) {
        InstrumentCatalog.Listed l = instrument(call);
        return Reply.ok(md.ticker(l.instId()).map(MarketEndpoints::ticker).orElseGet(() -> emptyTicker(l.instId())));
    }

    private Reply tickers(ApiCall call) {
        String type = call.requiredQuery("instType");
        if (!"SPOT".equals(type)) {
            if (List.of("MARGIN", "SWAP", "FUTURES", "OPTION", "EVENTS").contains(type)) {
                return Reply.ok(List.of());
            }
            throw ApiError.bad("instType");
        }
        List<ObjectNode> out = new ArrayList<>();
        for (InstrumentCatalog.Listed l : catalog.all()) {
            out.add(md.ticker(l.instId()).map(MarketEndpoints::ticker).orElseGet(() -> emptyTicker(l.instId())));
        }
        return Reply.ok(out);
    }

    static ObjectNode ticker(Ticker t) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("instType", "SPOT");
        n.put("instId", t.instId());
        n.put("last", t.last());
        n.put("lastSz", t.lastSz());
        n.put("askPx", t.askPx());
        n.put("askSz", t.askSz());
        n.put("bidPx", t.bidPx());
        n.put("bidSz", t.bidSz());
        n.put("open24h", t.open24h());
        n.put("high24h", t.high24h());
        n.put("low24h", t.low24h());
        n.put("volCcy24h", t.volCcy24h());
        n.put("vol24h", t.vol24h());
        n.put("ts", Long.toString(t.ts()));
        n.put("sodUtc0", t.sodUtc0());
        n.put("sodUtc8", t.sodUtc8());
        return n;
    }

    private static ObjectNode emptyTicker(String instId) {
        return ticker(new Ticker(instId, "", "", "", "", "", "", "", "", "", "0", "0", "", "",
                System.currentTimeMillis()));
    }

    private Reply trades(ApiCall call) {
        InstrumentCatalog.Listed l = instrument(call);
        int limit = call.intQuery("limit", 100, 1, 500);
        List<ObjectNode> out = new ArrayList<>();
        for (Trade t : md.trades(l.instId(), limit)) {
            ObjectNode n = Json.MAPPER.createObjectNode();
            n.put("instId", t.instId());
            n.put("side", t.side());
            n.put("sz", t.sz());
            n.put("px", t.px());
            n.put("source", "0");
            n.put("tradeId", Long.toString(t.tradeId()));
            n.put("ts", Long.toString(t.ts()));
            out.add(n);
        }
        return Reply.ok(out);
    }

    /** Older trades from the database, newest first, paged by trade id ({@code type=1}, OKX's default). */
    private Reply historyTrades(ApiCall call) throws SQLException {
        InstrumentCatalog.Listed l = instrument(call);
        Instrument ins = l.instrument();
        String type = call.query("type");
        if (type != null && !type.equals("1")) {
            throw ApiError.bad("type");
        }
        Long after = call.longQuery("after");
        Long before = call.longQuery("before");
        int limit = call.intQuery("limit", 100, 1, 100);
        StringBuilder sql = new StringBuilder("SELECT trade_id, px, sz, taker_side, ts FROM fills WHERE inst_id = ?");
        if (after != null) {
            sql.append(" AND trade_id < ?");
        }
        if (before != null) {
            sql.append(" AND trade_id > ?");
        }
        sql.append(" ORDER BY trade_id DESC LIMIT ").append(limit);
        List<ObjectNode> out = new ArrayList<>();
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int i = 1;
            ps.setString(i++, l.instId());
            if (after != null) {
                ps.setLong(i++, after);
            }
            if (before != null) {
                ps.setLong(i, before);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ObjectNode n = Json.MAPPER.createObjectNode();
                    n.put("instId", l.instId());
                    n.put("side", Side.valueOf(rs.getString(4)).okx());
                    n.put("sz", Decimals.format(rs.getLong(3), ins.base().scale()));
                    n.put("px", Decimals.format(rs.getLong(2), ins.priceScale()));
                    n.put("source", "0");
                    n.put("tradeId", Long.toString(rs.getLong(1)));
                    n.put("ts", Long.toString(rs.getLong(5)));
                    out.add(n);
                }
            }
        }
        return Reply.ok(out);
    }

    /** Both candle endpoints read the projection's bars; OKX pages {@code history-candles} by at most 100. */
    private Reply candles(ApiCall call, int maxLimit) {
        InstrumentCatalog.Listed l = instrument(call);
        String barText = call.query("bar");
        Bar bar = barText == null ? Bar.M1 : Bar.of(barText);
        if (bar == null) {
            throw ApiError.bad("bar");
        }
        int limit = call.intQuery("limit", 100, 1, maxLimit);
        List<ArrayNode> out = new ArrayList<>();
        for (Candle c : md.candles(l.instId(), bar, call.longQuery("after"), call.longQuery("before"), limit)) {
            ArrayNode a = Json.MAPPER.createArrayNode();
            c.toOkx().forEach(a::add);
            out.add(a);
        }
        return Reply.ok(out);
    }
}
