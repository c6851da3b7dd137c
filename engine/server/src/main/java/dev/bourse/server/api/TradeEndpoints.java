package dev.bourse.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bourse.asset.Asset;
import dev.bourse.fixed.Decimals;
import dev.bourse.instrument.Instrument;
import dev.bourse.order.Side;
import dev.bourse.server.auth.ApiPrincipal;
import dev.bourse.server.http.Json;
import dev.bourse.server.ratelimit.RateLimitRules;
import dev.bourse.server.shard.OrderQueries;
import dev.bourse.server.shard.OrderRecord;
import dev.bourse.server.store.Database;
import dev.bourse.server.trading.CancelAllAfter;
import dev.bourse.server.trading.InstrumentCatalog;
import dev.bourse.server.trading.OrderEntry;
import dev.bourse.server.trading.OrderJson;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;

/** {@code /api/v5/trade/*}: order operations (single and batch), dead man's switch, order and fill queries. */
public final class TradeEndpoints {
    static final int MAX_BATCH = 20;
    private static final long DAY = 86_400_000L;
    /** Refusals of the request's own arguments: answered as a top-level error like OKX, HTTP 400. */
    private static final Set<String> PARAMETER_CODES = Set.of("50000", "50002", "50014", "51000");

    private final OrderEntry entry;
    private final CancelAllAfter cancelAllAfter;
    private final InstrumentCatalog catalog;
    private final RateGate gate;
    private final Database db;

    public TradeEndpoints(OrderEntry entry, CancelAllAfter cancelAllAfter, InstrumentCatalog catalog, RateGate gate,
                          Database db) {
        this.entry = entry;
        this.cancelAllAfter = cancelAllAfter;
        this.catalog = catalog;
        this.gate = gate;
        this.db = db;
    }

    public void register(TraderApi api) {
        TraderApi.Access trade = TraderApi.Access.TRADE;
        TraderApi.Access read = TraderApi.Access.READ;
        api.post("/trade/order", trade, null, call -> single(call, "trade/order", entry::place))
                .post("/trade/batch-orders", trade, null, call -> batch(call, "trade/batch-orders", entry::place))
                .post("/trade/cancel-order", trade, null, call -> single(call, "trade/cancel-order", entry::cancel))
                .post("/trade/cancel-batch-orders", trade, null,
                        call -> batch(call, "trade/cancel-batch-orders", entry::cancel))
                .post("/trade/amend-order", trade, null, call -> single(call, "trade/amend-order", entry::amend))
                .post("/trade/amend-batch-orders", trade, null,
                        call -> batch(call, "trade/amend-batch-orders", entry::amend))
                .post("/trade/cancel-all-after", trade, "trade/cancel-all-after", this::cancelAllAfter)
                .get("/trade/order", read, null, this::order)
                .get("/trade/orders-pending", read, "trade/orders-pending", this::pending)
                .get("/trade/orders-history", read, "trade/orders-history", call -> history(call, 7))
                .get("/trade/orders-history-archive", read, "trade/orders-history-archive", call -> history(call, 90))
                .get("/trade/fills", read, "trade/fills", call -> fills(call, 3))
                .get("/trade/fills-history", read, "trade/fills-history", call -> fills(call, 90))
                .get("/trade/account-rate-limit", read, "trade/account-rate-limit", this::accountRateLimit);
    }

    // ------------------------------------------------------------------ order operations

    private Reply single(ApiCall call, String rule, BiFunction<ApiPrincipal, JsonNode, CompletableFuture<ObjectNode>> op)
            throws Exception {
        JsonNode args = call.body();
        if (!args.isObject()) {
            throw new ApiError(400, "50002", "JSON syntax error");
        }
        gate.acquire(rule, call.principal(), call.ip(), catalog.instIdOf(args), 1);
        ObjectNode item = op.apply(call.principal(), args).get();
        String sCode = item.path("sCode").asText();
        if (PARAMETER_CODES.contains(sCode)) {
            throw new ApiError(400, sCode, item.path("sMsg").asText());
        }
        return Reply.ofItems(List.of(item));
    }

    private Reply batch(ApiCall call, String rule, BiFunction<ApiPrincipal, JsonNode, CompletableFuture<ObjectNode>> op)
            throws Exception {
        JsonNode args = call.body();
        if (!args.isArray()) {
            throw new ApiError(400, "50002", "JSON syntax error");
        }
        if (args.isEmpty()) {
            throw new ApiError(400, "50014", "Parameter data can not be empty.");
        }
        if (args.size() > MAX_BATCH) {
            throw new ApiError(200, "50025", "Parameter count exceeds the limit " + MAX_BATCH + ".");
        }
        // limits count orders per instrument and for the account; a batch is taken or refused whole
        Map<String, Integer> perInstrument = new HashMap<>();
        for (JsonNode item : args) {
            String instId = catalog.instIdOf(item);
            perInstrument.merge(instId == null ? "-" : instId, 1, Integer::sum);
        }
        gate.acquireBatch(rule, call.principal(), perInstrument);
        List<CompletableFuture<ObjectNode>> pending = new ArrayList<>();
        for (JsonNode item : args) {
            pending.add(op.apply(call.principal(), item));
        }
        List<ObjectNode> items = new ArrayList<>();
        for (CompletableFuture<ObjectNode> f : pending) {
            items.add(f.get());
        }
        return Reply.ofItems(items);
    }

    private Reply cancelAllAfter(ApiCall call) {
        JsonNode body = call.body();
        String text = body.path("timeOut").asText("");
        if (text.isEmpty()) {
            throw ApiError.empty("timeOut");
        }
        int seconds;
        try {
            seconds = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw ApiError.bad("timeOut");
        }
        if (seconds != 0 && (seconds < 10 || seconds > 120)) {
            throw ApiError.bad("timeOut");
        }
        long trigger = cancelAllAfter.set(call.principal().userId(), seconds);
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("triggerTime", Long.toString(trigger));
        n.put("tag", body.path("tag").asText(""));
        n.put("ts", Long.toString(System.currentTimeMillis() / 1000));
        return Reply.ok(n);
    }

    private Reply accountRateLimit(ApiCall call) {
        RateGate.AccountRate r = gate.accountRate(call.principal());
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("accRateLimit", Long.toString(r.limit()));
        n.put("nextAccRateLimit", Long.toString(r.nextLimit()));
        n.put("fillRatio", "");
        n.put("mainFillRatio", "");
        n.put("ts", Long.toString(r.ts()));
        return Reply.ok(n);
    }

    // ------------------------------------------------------------------ queries

    private Reply order(ApiCall call) throws SQLException {
        InstrumentCatalog.Listed l = instrument(call.requiredQuery("instId"));
        gate.acquire(RateLimitRules.ORDER_DETAILS, call.principal(), call.ip(), l.instId(), 1);
        Long ordId = call.longQuery("ordId");
        String clOrdId = call.query("clOrdId");
        if (ordId == null && clOrdId == null) {
            throw new ApiError(400, "50015", "Either parameter ordId or clOrdId is required");
        }
        String sql = OrderQueries.SELECT + " WHERE user_id = ? AND inst_id = ? AND "
                + (ordId != null ? "ord_id = ?" : "cl_ord_id = ?");
        List<OrderRecord> found = orders(sql, ps -> {
            ps.setLong(1, call.principal().userId());
            ps.setString(2, l.instId());
            if (ordId != null) {
                ps.setLong(3, ordId);
            } else {
                ps.setString(3, clOrdId);
            }
        });
        if (found.isEmpty()) {
            throw new ApiError(200, "51603", "Order does not exist.");
        }
        return Reply.ok(OrderJson.of(found.getFirst(), l.instrument(), List.of(), OrderJson.View.REST));
    }

    private Reply pending(ApiCall call) throws SQLException {
        String state = call.query("state");
        if (state != null && !state.equals("live") && !state.equals("partially_filled")) {
            throw ApiError.bad("state");
        }
        return orderList(call, state == null ? List.of("LIVE", "PARTIALLY_FILLED") : List.of(stateName(state)), 0);
    }

    private Reply history(ApiCall call, int days) throws SQLException {
        call.requiredQuery("instType");
        String state = call.query("state");
        if (state != null && !state.equals("canceled") && !state.equals("filled")) {
            throw ApiError.bad("state");
        }
        return orderList(call, state == null ? List.of("CANCELED", "FILLED") : List.of(stateName(state)), days);
    }

    private static String stateName(String okx) {
        return okx.toUpperCase();
    }

    /** The filter and paging parameters the order and fill lists share. */
    private record Page(String instId, Long after, Long before, Long begin, Long end, int limit) {
    }

    /** The list's parameters, checked; null when {@code instType} names a type Bourse does not list. */
    private Page page(ApiCall call) {
        String instType = call.query("instType");
        if (instType != null && !instType.equals("SPOT")) {
            return null;
        }
        String instId = call.query("instId");
        if (instId != null) {
            instrument(instId);
        }
        return new Page(instId, call.longQuery("after"), call.longQuery("before"), call.longQuery("begin"),
                call.longQuery("end"), call.intQuery("limit", 100, 1, 100));
    }

    /** Newest first, paged by ordId ({@code after}: older than, {@code before}: newer than), OKX-style. */
    private Reply orderList(ApiCall call, List<String> states, int days) throws SQLException {
        Page page = page(call);
        if (page == null) {
            return Reply.ok(List.of());
        }
        String ordType = call.query("ordType");
        if (ordType != null && !Set.of("limit", "market", "post_only", "ioc", "fok").contains(ordType)) {
            throw ApiError.bad("ordType");
        }
        StringBuilder sql = new StringBuilder(OrderQueries.SELECT).append(" WHERE user_id = ? AND state IN (");
        for (int i = 0; i < states.size(); i++) {
            sql.append(i == 0 ? "?" : ", ?");
        }
        sql.append(")");
        List<Object> params = new ArrayList<>();
        params.add(call.principal().userId());
        params.addAll(states);
        if (page.instId() != null) {
            sql.append(" AND inst_id = ?");
            params.add(page.instId());
        }
        if (ordType != null) {
            sql.append(" AND ord_type = ?");
            params.add(ordType.toUpperCase());
        }
        if (page.after() != null) {
            sql.append(" AND ord_id < ?");
            params.add(page.after());
        }
        if (page.before() != null) {
            sql.append(" AND ord_id > ?");
            params.add(page.before());
        }
        if (days > 0) {
            sql.append(" AND updated_at >= ?");
            params.add(System.currentTimeMillis() - days * DAY);
        }
        if (page.begin() != null) {
            sql.append(" AND updated_at >= ?");
            params.add(page.begin());
        }
        if (page.end() != null) {
            sql.append(" AND updated_at <= ?");
            params.add(page.end());
        }
        sql.append(" ORDER BY ord_id DESC LIMIT ").append(page.limit());
        List<OrderRecord> found = orders(sql.toString(), ps -> bind(ps, params));
        List<ObjectNode> out = new ArrayList<>(found.size());
        for (OrderRecord o : found) {
            InstrumentCatalog.Listed l = catalog.byInstId(o.instId());
            if (l != null) {
                out.add(OrderJson.of(o, l.instrument(), List.of(), OrderJson.View.REST));
            }
        }
        return Reply.ok(out);
    }

    /** The user's side of each trade, newest first, paged by billId (the trade id). */
    private Reply fills(ApiCall call, int days) throws SQLException {
        Page page = page(call);
        if (page == null) {
            return Reply.ok(List.of());
        }
        Long ordId = call.longQuery("ordId");
        long user = call.principal().userId();
        List<ObjectNode> out = new ArrayList<>();
        // one query per side keeps each on its index; merged newest first below
        List<ObjectNode> taker = fillSide(true, user, ordId, page, days);
        List<ObjectNode> maker = fillSide(false, user, ordId, page, days);
        int i = 0;
        int j = 0;
        while (out.size() < page.limit() && (i < taker.size() || j < maker.size())) {
            if (j >= maker.size() || (i < taker.size()
                    && Long.parseLong(taker.get(i).get("billId").asText()) > Long.parseLong(maker.get(j).get("billId").asText()))) {
                out.add(taker.get(i++));
            } else {
                out.add(maker.get(j++));
            }
        }
        return Reply.ok(out);
    }

    private List<ObjectNode> fillSide(boolean taker, long user, Long ordId, Page page, int days) throws SQLException {
        String me = taker ? "taker" : "maker";
        StringBuilder sql = new StringBuilder("SELECT f.trade_id, f.inst_id, f.px, f.sz, f.taker_side, f." + me + "_ord_id, f."
                + me + "_fee, f." + me + "_fee_asset, f.ts, o.cl_ord_id, o.tag FROM fills f JOIN orders o ON o.ord_id = f." + me
                + "_ord_id WHERE f." + me + "_user_id = ?");
        List<Object> params = new ArrayList<>();
        params.add(user);
        if (page.instId() != null) {
            sql.append(" AND f.inst_id = ?");
            params.add(page.instId());
        }
        if (ordId != null) {
            sql.append(" AND f.").append(me).append("_ord_id = ?");
            params.add(ordId);
        }
        if (page.after() != null) {
            sql.append(" AND f.trade_id < ?");
            params.add(page.after());
        }
        if (page.before() != null) {
            sql.append(" AND f.trade_id > ?");
            params.add(page.before());
        }
        sql.append(" AND f.ts >= ?");
        params.add(Math.max(page.begin() == null ? 0 : page.begin(), System.currentTimeMillis() - days * DAY));
        if (page.end() != null) {
            sql.append(" AND f.ts <= ?");
            params.add(page.end());
        }
        sql.append(" ORDER BY f.trade_id DESC LIMIT ").append(page.limit());
        List<ObjectNode> out = new ArrayList<>();
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    InstrumentCatalog.Listed l = catalog.byInstId(rs.getString(2));
                    if (l == null) {
                        continue;
                    }
                    Instrument ins = l.instrument();
                    Side takerSide = Side.valueOf(rs.getString(5));
                    Side side = taker ? takerSide : takerSide.opposite();
                    Asset feeAsset = side == Side.BUY ? ins.base() : ins.quote();
                    ObjectNode n = Json.MAPPER.createObjectNode();
                    String tradeId = Long.toString(rs.getLong(1));
                    String ts = Long.toString(rs.getLong(9));
                    n.put("instType", "SPOT");
                    n.put("instId", l.instId());
                    n.put("tradeId", tradeId);
                    n.put("ordId", Long.toString(rs.getLong(6)));
                    String cl = rs.getString(10);
                    n.put("clOrdId", cl == null ? "" : cl);
                    n.put("billId", tradeId);
                    n.put("subType", side == Side.BUY ? "1" : "2");
                    String tag = rs.getString(11);
                    n.put("tag", tag == null ? "" : tag);
                    n.put("fillPx", Decimals.format(rs.getLong(3), ins.priceScale()));
                    n.put("fillSz", Decimals.format(rs.getLong(4), ins.base().scale()));
                    n.put("fillIdxPx", "");
                    n.put("fillPnl", "0");
                    n.put("fillPxVol", "");
                    n.put("fillPxUsd", "");
                    n.put("fillMarkVol", "");
                    n.put("fillFwdPx", "");
                    n.put("fillMarkPx", "");
                    n.put("side", side.okx());
                    n.put("posSide", "net");
                    n.put("execType", taker ? "T" : "M");
                    n.put("feeCcy", feeAsset.code());
                    n.put("fee", Decimals.format(-rs.getLong(7), feeAsset.scale()));
                    n.put("feeRate", "");
                    n.put("tradeQuoteCcy", ins.quote().code());
                    n.put("ts", ts);
                    n.put("fillTime", ts);
                    out.add(n);
                }
            }
        }
        return out;
    }

    private InstrumentCatalog.Listed instrument(String instId) {
        InstrumentCatalog.Listed l = catalog.byInstId(instId);
        if (l == null) {
            throw ApiError.unknownInstrument();
        }
        return l;
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private List<OrderRecord> orders(String sql, Binder binder) throws SQLException {
        List<OrderRecord> out = new ArrayList<>();
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(OrderQueries.read(rs));
                }
            }
        }
        return out;
    }

    private static void bind(PreparedStatement ps, List<Object> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            Object p = params.get(i);
            if (p instanceof Long v) {
                ps.setLong(i + 1, v);
            } else {
                ps.setString(i + 1, (String) p);
            }
        }
    }
}
