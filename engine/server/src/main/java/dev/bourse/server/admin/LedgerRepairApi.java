package dev.bourse.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bourse.fixed.Decimals;
import dev.bourse.server.http.Json;
import dev.bourse.server.ledger.LedgerRepair;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.micrometer.core.instrument.MeterRegistry;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Ledger repair and inspection, under {@code /admin/v1} behind {@link AdminGate} (see {@link LedgerRepair}).
 * <pre>
 * POST /ledger/reversal    {"refId","reason","idempotencyKey"?,"allowRepair"?}
 * POST /ledger/supplement  {"refId","reason","idempotencyKey","entries":[{"accountId","ccy","bucket","amount"}]}
 * GET  /ledger/postings?key=               the set, then the repairs that name it
 * GET  /ledger/postings?accountId=&ccy=&limit=  the newest sets touching that balance (limit 1..100, default 20)
 * </pre>
 * Amounts are decimal strings, exact in the asset's scale (more decimals are refused, never rounded).
 */
public final class LedgerRepairApi implements HttpService {
    private static final int DEFAULT_LIMIT = 20;
    private static final int MAX_LIMIT = 100;

    private final LedgerRepair repair;
    private final MeterRegistry meters;

    public LedgerRepairApi(LedgerRepair repair, MeterRegistry meters) {
        this.repair = repair;
        this.meters = meters;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/ledger/reversal", this::reversal)
                .post("/ledger/supplement", this::supplement)
                .get("/ledger/postings", this::postings);
    }

    private void reversal(ServerRequest req, ServerResponse res) {
        ObjectNode body = Json.body(req);
        if (body == null) {
            AdminReplies.refuse(req, res, "50000", "Body for POST request cannot be empty.");
            return;
        }
        JsonNode allow = body.get("allowRepair");
        if (allow != null && !allow.isNull() && !allow.isBoolean()) {
            AdminReplies.refuse(req, res, "51000", "Parameter allowRepair error: true or false");
            return;
        }
        try {
            LedgerRepair.Repair r = repair.reverse(Json.text(body, "refId"), Json.text(body, "reason"),
                    Json.text(body, "idempotencyKey"), allow != null && allow.asBoolean(false), caller(req));
            answer(req, res, LedgerRepair.ACTION_REVERSAL, r);
        } catch (LedgerRepair.Refused e) {
            AdminReplies.refuse(req, res, e.code(), e.getMessage());
        } catch (SQLException | RuntimeException e) {
            AdminReplies.systemError(req, res, e);
        }
    }

    private void supplement(ServerRequest req, ServerResponse res) {
        ObjectNode body = Json.body(req);
        if (body == null) {
            AdminReplies.refuse(req, res, "50000", "Body for POST request cannot be empty.");
            return;
        }
        try {
            List<LedgerRepair.Leg> legs = legs(body.get("entries"), byCode(repair.assets()));
            LedgerRepair.Repair r = repair.supplement(Json.text(body, "refId"), Json.text(body, "reason"),
                    Json.text(body, "idempotencyKey"), legs, caller(req));
            answer(req, res, LedgerRepair.ACTION_SUPPLEMENT, r);
        } catch (LedgerRepair.Refused e) {
            AdminReplies.refuse(req, res, e.code(), e.getMessage());
        } catch (SQLException | RuntimeException e) {
            AdminReplies.systemError(req, res, e);
        }
    }

    private void answer(ServerRequest req, ServerResponse res, String action, LedgerRepair.Repair r) throws SQLException {
        if (!r.replayed()) {
            AdminReplies.count(meters, action);
        }
        ObjectNode n = LedgerRepair.view(r.set(), repair.assets());
        n.put("replayed", r.replayed());
        Json.ok(res, List.of(n));
    }

    private void postings(ServerRequest req, ServerResponse res) {
        Optional<String> key = param(req, "key");
        Optional<String> account = param(req, "accountId");
        Optional<String> ccy = param(req, "ccy");
        try {
            Map<Integer, LedgerRepair.Asset> assets = repair.assets();
            List<LedgerRepair.PostingSet> sets = new ArrayList<>();
            if (key.isPresent()) {
                if (account.isPresent() || ccy.isPresent()) {
                    AdminReplies.refuse(req, res, "51000", "Parameter error: give key, or accountId and ccy");
                    return;
                }
                Optional<LedgerRepair.PostingSet> set = repair.postingSet(key.get());
                if (set.isEmpty()) {
                    AdminReplies.refuse(req, res, "51000", "Parameter key error: no posting set " + key.get());
                    return;
                }
                sets.add(set.get());
                sets.addAll(repair.repairs(key.get()));
            } else {
                if (account.isEmpty() || ccy.isEmpty()) {
                    AdminReplies.refuse(req, res, "50014", "Parameter key, or accountId and ccy, can not be empty.");
                    return;
                }
                long accountId;
                int limit;
                try {
                    accountId = Long.parseLong(account.get().trim());
                } catch (NumberFormatException e) {
                    AdminReplies.refuse(req, res, "51000", "Parameter accountId error");
                    return;
                }
                LedgerRepair.Asset asset = byCode(assets).get(ccy.get());
                if (asset == null) {
                    AdminReplies.refuse(req, res, "51000", "Parameter ccy error");
                    return;
                }
                try {
                    limit = param(req, "limit").map(s -> Integer.parseInt(s.trim())).orElse(DEFAULT_LIMIT);
                } catch (NumberFormatException e) {
                    limit = -1;
                }
                if (limit < 1 || limit > MAX_LIMIT) {
                    AdminReplies.refuse(req, res, "51000", "Parameter limit error: 1.." + MAX_LIMIT);
                    return;
                }
                sets.addAll(repair.postingSets(accountId, asset.id(), limit));
            }
            List<ObjectNode> data = new ArrayList<>();
            for (LedgerRepair.PostingSet s : sets) {
                data.add(LedgerRepair.view(s, assets));
            }
            Json.ok(res, data);
        } catch (SQLException | RuntimeException e) {
            AdminReplies.systemError(req, res, e);
        }
    }

    /** The requested legs; amounts parsed exactly in the asset's scale. */
    private static List<LedgerRepair.Leg> legs(JsonNode entries, Map<String, LedgerRepair.Asset> assets)
            throws LedgerRepair.Refused {
        if (entries == null || entries.isNull() || (entries.isArray() && entries.isEmpty())) {
            throw new LedgerRepair.Refused("50014", "Parameter entries can not be empty.");
        }
        if (!entries.isArray()) {
            throw new LedgerRepair.Refused("51000", "Parameter entries error: an array");
        }
        if (entries.size() > LedgerRepair.MAX_LEGS) {
            throw new LedgerRepair.Refused("51000", "Parameter entries error: at most " + LedgerRepair.MAX_LEGS + " entries");
        }
        List<LedgerRepair.Leg> out = new ArrayList<>();
        for (JsonNode e : entries) {
            if (!(e instanceof ObjectNode o)) {
                throw new LedgerRepair.Refused("51000", "Parameter entries error: objects");
            }
            String accountText = required(o, "accountId");
            String ccy = required(o, "ccy");
            String bucket = required(o, "bucket");
            String amountText = required(o, "amount");
            long accountId;
            try {
                accountId = Long.parseLong(accountText.trim());
            } catch (NumberFormatException ex) {
                throw new LedgerRepair.Refused("51000", "Parameter accountId error");
            }
            LedgerRepair.Asset asset = assets.get(ccy);
            if (asset == null) {
                throw new LedgerRepair.Refused("51000", "Parameter ccy error: " + ccy + " is not listed");
            }
            long amount;
            try {
                amount = Decimals.parse(amountText.trim(), asset.scale());
            } catch (IllegalArgumentException ex) {
                throw new LedgerRepair.Refused("51000", "Parameter amount error: " + ex.getMessage() + " (" + ccy
                        + " has " + asset.scale() + " decimals)");
            }
            out.add(new LedgerRepair.Leg(accountId, asset.id(), bucket, amount));
        }
        return out;
    }

    private static String required(ObjectNode o, String field) throws LedgerRepair.Refused {
        String v = Json.text(o, field);
        if (v == null) {
            throw new LedgerRepair.Refused("50014", "Parameter " + field + " can not be empty.");
        }
        return v;
    }

    private static Map<String, LedgerRepair.Asset> byCode(Map<Integer, LedgerRepair.Asset> assets) {
        Map<String, LedgerRepair.Asset> out = new java.util.HashMap<>();
        assets.values().forEach(a -> out.put(a.code(), a));
        return out;
    }

    private static Optional<String> param(ServerRequest req, String name) {
        return req.query().first(name).asOptional().filter(s -> !s.isBlank());
    }

    private static LedgerRepair.Caller caller(ServerRequest req) {
        return new LedgerRepair.Caller(AdminGate.actor(req), AdminGate.requestId(req));
    }
}
