package dev.bourse.server.wallet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bourse.asset.Asset;
import dev.bourse.fixed.Decimals;
import dev.bourse.server.api.ApiCall;
import dev.bourse.server.api.ApiError;
import dev.bourse.server.api.Reply;
import dev.bourse.server.api.TraderApi;
import dev.bourse.server.auth.Permission;
import dev.bourse.server.http.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The OKX funding endpoints of the wallet: {@code asset/deposit-address}, {@code asset/deposit-history},
 * {@code asset/withdrawal} (on-chain only, needs the key's {@code withdraw} permission),
 * {@code asset/cancel-withdrawal} and {@code asset/withdrawal-history}. Refusals carry OKX's codes and
 * change nothing.
 */
public final class WalletEndpoints {
    private static final Pattern ADDRESS = Pattern.compile("[A-Za-z0-9:_.-]{4,128}");
    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9]{1,32}");
    private static final int MAX_LIMIT = 100;

    /** A query parameter that narrows a history to the rows whose column equals it; a numeric one must be a long. */
    private record Filter(String param, String column, boolean numeric) {
    }

    /**
     * What tells deposit-history and withdrawal-history apart: their id filters, the SQL condition of each OKX state
     * that maps onto a stored one, the OKX states Bourse never uses (an empty answer, not a refusal), the column
     * {@code after}/{@code before} compare with and the order of the rows.
     */
    private record History(List<Filter> filters, Map<String, String> states, Set<String> unusedStates,
                           String timeColumn, String orderBy) {
    }

    /** A history's WHERE ... ORDER BY and its arguments. */
    private record Where(String sql, List<Object> args) {
    }

    // a pending deposit's OKX state (0, 8 or 12) depends on policy and switches: depositHistory decides it per row
    private static final History DEPOSITS = new History(
            List.of(new Filter("depId", "dep_id", true), new Filter("txId", "tx_id", false)),
            Map.of("2", "state = 'CREDITED'",
                    "0", "state = 'PENDING'", "8", "state = 'PENDING'", "12", "state = 'PENDING'"),
            Set.of("1", "11", "13", "14", "17"),
            "first_seen_at", "first_seen_at DESC, dep_id DESC");
    private static final History WITHDRAWALS = new History(
            List.of(new Filter("wdId", "wd_id", true), new Filter("clientId", "client_id", false),
                    new Filter("txId", "tx_id", false)),
            Map.of("4", "state = 'PENDING_REVIEW'",
                    "0", "state = 'APPROVED' AND NOT reviewed",
                    "7", "state = 'APPROVED' AND reviewed",
                    "1", "state = 'BROADCAST'",
                    "2", "state = 'CONFIRMED'",
                    "-1", "state IN ('FAILED', 'REJECTED')",
                    "-2", "state = 'CANCELED'"),
            Set.of("5", "6", "8", "9", "10", "12", "15", "16", "17", "19", "-3"),
            "created_at", "created_at DESC, wd_id DESC");

    private final Wallet wallet;

    public WalletEndpoints(Wallet wallet) {
        this.wallet = wallet;
    }

    public void register(TraderApi api) {
        TraderApi.Access read = TraderApi.Access.READ;
        api.get("/asset/deposit-address", read, "asset/deposit-address", this::depositAddress)
                .get("/asset/deposit-history", read, "asset/deposit-history", this::depositHistory)
                // READ at the gate: the withdraw / trade permission is checked here (TraderApi knows READ and TRADE)
                .post("/asset/withdrawal", read, "asset/withdrawal", this::withdraw)
                .post("/asset/cancel-withdrawal", read, "asset/cancel-withdrawal", this::cancel)
                .get("/asset/withdrawal-history", read, "asset/withdrawal-history", this::withdrawalHistory);
    }

    private static ApiError api(WalletRefusal r) {
        return new ApiError(r.status(), r.code(), r.getMessage());
    }

    private Asset asset(String ccy) throws Exception {
        Asset a = wallet.asset(ccy);
        if (a == null) {
            throw api(wallet.refuse(null, "bad_param", "51000", "Parameter ccy error"));
        }
        return a;
    }

    private Reply depositAddress(ApiCall call) throws Exception {
        String ccy = call.query("ccy");
        if (ccy == null) {
            throw api(wallet.refuse(null, "bad_param", "50014", "Parameter ccy can not be empty."));
        }
        Asset a = asset(ccy);
        String addr;
        try {
            addr = wallet.depositAddress(call.principal().userId(), a);
        } catch (WalletRefusal r) {
            throw api(r);
        }
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("chain", wallet.chain().chain(a.code()));
        n.put("ctAddr", "");
        n.put("ccy", a.code());
        n.put("to", "6");
        n.put("addr", addr);
        n.put("verifiedName", "");
        n.put("selected", true);
        return Reply.ok(n);
    }

    private Reply depositHistory(ApiCall call) throws Exception {
        Where where = where(call, DEPOSITS);
        if (where == null) {
            return Reply.ok(List.of());
        }
        String state = call.query("state");
        int limit = call.intQuery("limit", MAX_LIMIT, 1, MAX_LIMIT);
        long tip = wallet.chain().tipHeight();
        List<ObjectNode> out = new ArrayList<>();
        // a state filter among the pending ones is decided per row (it depends on policy and switches)
        for (Deposit d : wallet.deposits(where.sql(), where.args(), state != null && !state.equals("2") ? 10_000 : limit)) {
            String okx = d.state() == Deposit.State.CREDITED ? "2" : wallet.waitingReason(d, tip);
            if (okx == null) {
                okx = "0"; // confirmed, credited on the watcher's next round
            }
            if (state != null && !state.equals(okx)) {
                continue;
            }
            Asset a = wallet.asset(d.asset());
            ObjectNode n = Json.MAPPER.createObjectNode();
            n.put("actualDepBlkConfirm", Long.toString(Wallet.confirmations(d, tip)));
            n.put("amt", Decimals.format(d.amount(), a.scale()));
            n.put("areaCodeFrom", "");
            n.put("ccy", d.asset());
            n.put("chain", d.chain());
            n.put("depId", Long.toString(d.depId()));
            n.put("from", "");
            n.put("fromWdId", "");
            n.put("state", okx);
            n.put("to", d.address());
            n.put("ts", Long.toString(d.firstSeenAt()));
            n.put("txId", d.txId());
            out.add(n);
            if (out.size() == limit) {
                break;
            }
        }
        return Reply.ok(out);
    }

    private Reply withdraw(ApiCall call) throws Exception {
        if (!call.principal().can(Permission.WITHDRAW)) {
            throw new ApiError(200, "50120", "This API key doesn't have permission to use this function");
        }
        JsonNode body = call.body();
        String ccy = text(body, "ccy");
        String amt = text(body, "amt");
        String dest = text(body, "dest");
        String toAddr = text(body, "toAddr");
        for (String[] f : new String[][] {{"ccy", ccy}, {"amt", amt}, {"dest", dest}, {"toAddr", toAddr}}) {
            if (f[1] == null) {
                throw api(wallet.refuse(ccy, "bad_param", "50014", "Parameter " + f[0] + " can not be empty."));
            }
        }
        Asset a = asset(ccy);
        if ("3".equals(dest)) {
            throw api(wallet.refuse(a.code(), "bad_param", "51000",
                    "Parameter dest error: internal transfers (dest=3) are not supported, only on-chain withdrawals (dest=4)"));
        }
        if (!"4".equals(dest)) {
            throw api(wallet.refuse(a.code(), "bad_param", "51000", "Parameter dest error"));
        }
        if (!ADDRESS.matcher(toAddr).matches()) {
            throw api(wallet.refuse(a.code(), "bad_param", "58222", "Invalid withdrawal address"));
        }
        long amount = decimal(a, "amt", amt);
        if (amount <= 0) {
            throw api(wallet.refuse(a.code(), "bad_param", "51000", "Parameter amt error"));
        }
        String feeText = text(body, "fee");
        Long fee = feeText == null ? null : decimal(a, "fee", feeText);
        String clientId = text(body, "clientId");
        if (clientId != null && !CLIENT_ID.matcher(clientId).matches()) {
            throw api(wallet.refuse(a.code(), "bad_param", "51000", "Parameter clientId error"));
        }
        Withdrawal w;
        try {
            w = wallet.requestWithdrawal(new Wallet.WithdrawalRequest(call.principal().userId(), a, amount, toAddr,
                    text(body, "chain"), fee, clientId));
        } catch (WalletRefusal r) {
            throw api(r);
        }
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("amt", Decimals.format(w.amount(), a.scale()));
        n.put("wdId", Long.toString(w.wdId()));
        n.put("ccy", w.asset());
        n.put("clientId", w.clientId() == null ? "" : w.clientId());
        n.put("chain", w.chain());
        return Reply.ok(n);
    }

    private Reply cancel(ApiCall call) throws Exception {
        if (!call.principal().can(Permission.TRADE) && !call.principal().can(Permission.WITHDRAW)) {
            throw new ApiError(200, "50120", "This API key doesn't have permission to use this function");
        }
        String wdId = text(call.body(), "wdId");
        if (wdId == null) {
            throw api(wallet.refuse(null, "bad_param", "50014", "Parameter wdId can not be empty."));
        }
        long id;
        try {
            id = Long.parseLong(wdId);
        } catch (NumberFormatException e) {
            throw api(wallet.refuse(null, "bad_param", "51000", "Parameter wdId error"));
        }
        try {
            wallet.cancel(call.principal().userId(), id);
        } catch (WalletRefusal r) {
            throw api(r);
        }
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("wdId", Long.toString(id));
        return Reply.ok(n);
    }

    private Reply withdrawalHistory(ApiCall call) throws Exception {
        Where where = where(call, WITHDRAWALS);
        if (where == null) {
            return Reply.ok(List.of());
        }
        int limit = call.intQuery("limit", MAX_LIMIT, 1, MAX_LIMIT);
        List<ObjectNode> out = new ArrayList<>();
        for (Withdrawal w : wallet.withdrawals(where.sql(), where.args(), limit)) {
            Asset a = wallet.asset(w.asset());
            ObjectNode n = Json.MAPPER.createObjectNode();
            n.put("note", w.note() == null ? "" : w.note());
            n.put("chain", w.chain());
            n.put("fee", Decimals.format(w.fee(), a.scale()));
            n.put("feeCcy", w.asset());
            n.put("ccy", w.asset());
            n.put("clientId", w.clientId() == null ? "" : w.clientId());
            n.put("toAddrType", "1");
            n.put("amt", Decimals.format(w.amount(), a.scale()));
            n.put("txId", w.txId() == null ? "" : w.txId());
            n.put("from", "");
            n.put("areaCodeFrom", "");
            n.put("to", w.toAddr());
            n.put("areaCodeTo", "");
            n.put("state", w.okxState());
            n.put("ts", Long.toString(w.createdAt()));
            n.put("nonTradableAsset", false);
            n.put("wdId", Long.toString(w.wdId()));
            out.add(n);
        }
        return Reply.ok(out);
    }

    /**
     * The caller's rows of a history narrowed by the query ({@code ccy}, the history's own id filters, {@code type},
     * {@code state}, {@code after}/{@code before}) and in its order, or null when no row can match (internal transfers,
     * states Bourse never uses). Parameters are checked in this order, so the first bad one is the one refused.
     */
    private Where where(ApiCall call, History history) throws Exception {
        List<Object> args = new ArrayList<>();
        StringBuilder where = new StringBuilder("WHERE user_id = ?");
        args.add(call.principal().userId());
        String ccy = call.query("ccy");
        if (ccy != null) {
            where.append(" AND asset = ?");
            args.add(asset(ccy).code());
        }
        for (Filter f : history.filters()) {
            Object value = f.numeric() ? longParam(call, f.param()) : call.query(f.param());
            if (value != null) {
                where.append(" AND ").append(f.column()).append(" = ?");
                args.add(value);
            }
        }
        String type = call.query("type");
        if (type != null && !type.equals("4")) {
            if (!type.equals("3")) {
                throw api(wallet.refuse(null, "bad_param", "51000", "Parameter type error"));
            }
            return null; // no internal transfers in Bourse
        }
        String state = call.query("state");
        if (state != null) {
            String condition = history.states().get(state);
            if (condition == null) {
                if (history.unusedStates().contains(state)) {
                    return null; // states Bourse never uses
                }
                throw api(wallet.refuse(null, "bad_param", "51000", "Parameter state error"));
            }
            where.append(" AND ").append(condition);
        }
        // OKX's after (older than) / before (newer than), epoch ms
        Long after = longParam(call, "after");
        if (after != null) {
            where.append(" AND ").append(history.timeColumn()).append(" < ?");
            args.add(after);
        }
        Long before = longParam(call, "before");
        if (before != null) {
            where.append(" AND ").append(history.timeColumn()).append(" > ?");
            args.add(before);
        }
        where.append(" ORDER BY ").append(history.orderBy());
        return new Where(where.toString(), args);
    }

    private Long longParam(ApiCall call, String name) {
        String v = call.query(name);
        if (v == null) {
            return null;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw api(wallet.refuse(null, "bad_param", "51000", "Parameter " + name + " error"));
        }
    }

    private long decimal(Asset a, String field, String text) {
        try {
            return Decimals.parse(text, a.scale());
        } catch (IllegalArgumentException e) {
            throw api(wallet.refuse(a.code(), "bad_param", "51000", "Parameter " + field + " error: at most " + a.scale()
                    + " decimal places"));
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        String s = v.asText();
        return s.isEmpty() ? null : s;
    }
}
