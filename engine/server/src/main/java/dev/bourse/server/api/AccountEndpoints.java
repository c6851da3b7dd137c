package dev.bourse.server.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bourse.asset.Asset;
import dev.bourse.fixed.Decimals;
import dev.bourse.server.auth.ApiPrincipal;
import dev.bourse.server.auth.Permission;
import dev.bourse.server.http.Json;
import dev.bourse.server.ledger.AccountBalances;
import dev.bourse.server.trading.InstrumentCatalog;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;

/**
 * {@code account/balance}, {@code account/config}, {@code asset/currencies}, {@code asset/balances}.
 * A Bourse user has one account per asset (no separate funding and trading accounts), so the trading
 * and funding views show the same committed balance rows.
 */
public final class AccountEndpoints {
    private static final int MAX_CCY = 20;

    private final InstrumentCatalog catalog;
    private final AccountBalances balances;

    public AccountEndpoints(InstrumentCatalog catalog, AccountBalances balances) {
        this.catalog = catalog;
        this.balances = balances;
    }

    public void register(TraderApi api) {
        TraderApi.Access read = TraderApi.Access.READ;
        api.get("/account/balance", read, "account/balance", this::balance)
                .get("/account/config", read, "account/config", this::config)
                .get("/asset/currencies", read, "asset/currencies", this::currencies)
                .get("/asset/balances", read, "asset/balances", this::fundingBalances);
    }

    /** The user's balance rows, optionally limited to {@code ccy=BTC,ETH}; zero rows only when asked for. */
    private List<AccountBalances.Balance> rows(ApiCall call) throws Exception {
        Set<String> wanted = new LinkedHashSet<>();
        String ccy = call.query("ccy");
        if (ccy != null) {
            for (String c : ccy.split(",")) {
                if (!c.isBlank()) {
                    wanted.add(c.trim());
                }
            }
            if (wanted.size() > MAX_CCY) {
                throw ApiError.bad("ccy");
            }
        }
        List<AccountBalances.Balance> out = new ArrayList<>();
        for (AccountBalances.Balance b : balances.of(call.principal().userId())) {
            if (wanted.isEmpty() ? b.available() + b.held() != 0 : wanted.contains(b.ccy())) {
                out.add(b);
            }
        }
        return out;
    }

    private Reply balance(ApiCall call) throws Exception {
        long now = System.currentTimeMillis();
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("adjEq", "");
        n.put("availEq", "");
        n.put("borrowFroz", "");
        n.put("imr", "");
        n.put("isoEq", "0");
        n.put("mgnRatio", "");
        n.put("mmr", "");
        n.put("notionalUsd", "");
        n.put("ordFroz", "");
        // a USD total needs prices Bourse does not keep for every asset; OKX leaves unknowns empty too
        n.put("totalEq", "");
        n.put("upl", "");
        n.put("uTime", Long.toString(now));
        ArrayNode details = n.putArray("details");
        for (AccountBalances.Balance r : rows(call)) {
            int s = r.scale();
            String eq = Decimals.format(r.available() + r.held(), s);
            ObjectNode d = details.addObject();
            d.put("ccy", r.ccy());
            d.put("eq", eq);
            d.put("cashBal", eq);
            d.put("availBal", Decimals.format(r.available(), s));
            d.put("availEq", Decimals.format(r.available(), s));
            d.put("frozenBal", Decimals.format(r.held(), s));
            d.put("ordFrozen", Decimals.format(r.held(), s));
            d.put("fixedBal", "0");
            d.put("disEq", "");
            d.put("eqUsd", "");
            d.put("isoEq", "0");
            d.put("liab", "");
            d.put("upl", "");
            d.put("uplLiab", "");
            d.put("crossLiab", "");
            d.put("isoLiab", "");
            d.put("interest", "");
            d.put("maxLoan", "");
            d.put("mgnRatio", "");
            d.put("notionalLever", "");
            d.put("stgyEq", "0");
            d.put("twap", "0");
            d.put("spotInUseAmt", "");
            d.put("spotBal", eq);
            d.put("uTime", Long.toString(now));
        }
        return Reply.ok(n);
    }

    private Reply fundingBalances(ApiCall call) throws Exception {
        List<ObjectNode> out = new ArrayList<>();
        for (AccountBalances.Balance r : rows(call)) {
            int s = r.scale();
            ObjectNode d = Json.MAPPER.createObjectNode();
            d.put("ccy", r.ccy());
            d.put("bal", Decimals.format(r.available() + r.held(), s));
            d.put("frozenBal", Decimals.format(r.held(), s));
            d.put("availBal", Decimals.format(r.available(), s));
            out.add(d);
        }
        return Reply.ok(out);
    }

    private Reply config(ApiCall call) {
        ApiPrincipal who = call.principal();
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("uid", Long.toString(who.userId()));
        n.put("mainUid", Long.toString(who.userId()));
        n.put("acctLv", "1"); // OKX's spot mode: no margin, no derivatives
        n.put("acctStpMode", "cancel_maker");
        n.put("posMode", "net_mode");
        n.put("autoLoan", false);
        n.put("greeksType", "PA");
        n.put("level", "Lv1");
        n.put("levelTmp", "");
        n.put("ctIsoMode", "automatic");
        n.put("mgnIsoMode", "automatic");
        n.put("spotOffsetType", "");
        n.put("roleType", "0");
        n.putArray("traderInsts");
        n.put("spotRoleType", "0");
        n.putArray("spotTraderInsts");
        n.put("opAuth", "0");
        n.put("kycLv", "1");
        n.put("label", "");
        n.put("ip", "");
        StringJoiner perm = new StringJoiner(",");
        for (Permission p : Permission.values()) {
            if (who.can(p) || p == Permission.READ) {
                perm.add(p.okx());
            }
        }
        n.put("perm", perm.toString());
        n.put("liquidationGear", "-1");
        n.put("enableSpotBorrow", false);
        n.put("spotBorrowAutoRepay", false);
        n.put("type", "0");
        n.put("settleCcy", "");
        n.putArray("settleCcyList");
        return Reply.ok(n);
    }

    private Reply currencies(ApiCall call) {
        String ccy = call.query("ccy");
        Set<String> wanted = new LinkedHashSet<>();
        if (ccy != null) {
            for (String c : ccy.split(",")) {
                wanted.add(c.trim());
            }
        }
        List<ObjectNode> out = new ArrayList<>();
        for (Asset a : catalog.assets().values()) {
            if (!wanted.isEmpty() && !wanted.contains(a.code())) {
                continue;
            }
            ObjectNode n = Json.MAPPER.createObjectNode();
            n.put("ccy", a.code());
            n.put("name", a.code());
            n.put("logoLink", "");
            n.put("chain", a.code() + "-" + a.code());
            n.put("ctAddr", "");
            // deposits and withdrawals arrive with the wallet; until then only ledger funding exists
            n.put("canDep", false);
            n.put("canWd", false);
            n.put("canInternal", false);
            n.put("depEstOpenTime", "");
            n.put("wdEstOpenTime", "");
            n.put("minDep", "");
            n.put("minWd", "");
            n.put("maxWd", "");
            n.put("wdTickSz", Integer.toString(a.scale()));
            n.put("wdQuota", "");
            n.put("usedWdQuota", "");
            n.put("fee", "");
            n.put("minFee", "");
            n.put("maxFee", "");
            n.put("minFeeForCtAddr", "");
            n.put("maxFeeForCtAddr", "");
            n.put("burningFeeRate", "");
            n.put("mainNet", true);
            n.put("needTag", false);
            n.put("minDepArrivalConfirm", "");
            n.put("minWdUnlockConfirm", "");
            n.put("depQuotaFixed", "");
            n.put("usedDepQuotaFixed", "");
            n.put("depQuoteDailyLayer2", "");
            out.add(n);
        }
        return Reply.ok(out);
    }
}
