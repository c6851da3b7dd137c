package dev.bourse.server.wallet;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bourse.asset.Asset;
import dev.bourse.fixed.Decimals;
import dev.bourse.server.admin.AdminGate;
import dev.bourse.server.admin.AdminReplies;
import dev.bourse.server.admin.AuditRecord;
import dev.bourse.server.http.Json;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The wallet's admin endpoints, registered after {@link AdminGate} at {@code /admin/v1} (the gate has
 * checked {@code X-Admin-Token} and named the actor and request id):
 * <pre>
 * GET    /wallet/withdrawals?state=pending_review|approved|broadcast|...&amp;userId=&amp;limit=
 * POST   /wallet/withdrawals/{wdId}/approve
 * POST   /wallet/withdrawals/{wdId}/reject     {"reason"}
 * POST   /wallet/whitelist                     {"userId","ccy","addr"}
 * GET    /wallet/whitelist?userId=
 * DELETE /wallet/whitelist?userId=&amp;ccy=&amp;addr=   (or the same as a JSON body)
 * GET    /wallet/policies
 * simulated chain only:
 * POST   /wallet/sim/deposit      {"userId" or "address","ccy","amt"}
 * POST   /wallet/sim/mine         {"blocks"}
 * POST   /wallet/sim/fail-payout  {"wdId": id or "next"}
 * </pre>
 * Every change is audited (same transaction where the change is in the database); approvals and
 * rejections count in {@code bourse_admin_operations_total{action}}.
 */
public final class WalletAdminApi implements HttpService {
    private static final Pattern ADDRESS = Pattern.compile("[A-Za-z0-9:_.-]{4,128}");

    private final Wallet wallet;
    private final MeterRegistry meters;

    public WalletAdminApi(Wallet wallet, MeterRegistry meters) {
        this.wallet = wallet;
        this.meters = meters;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/wallet/withdrawals", this::withdrawals)
                .post("/wallet/withdrawals/{wdId}/approve", this::approve)
                .post("/wallet/withdrawals/{wdId}/reject", this::reject)
                .post("/wallet/whitelist", this::addWhitelist)
                .get("/wallet/whitelist", this::listWhitelist)
                .delete("/wallet/whitelist", this::removeWhitelist)
                .get("/wallet/policies", this::policies);
        if (wallet.chain() instanceof SimulatedChain) {
            rules.post("/wallet/sim/deposit", this::simDeposit)
                    .post("/wallet/sim/mine", this::simMine)
                    .post("/wallet/sim/fail-payout", this::simFailPayout);
        }
    }

    /** A refused admin request: nothing changed. */
    private static final class Bad extends RuntimeException {
        final String code;

        Bad(String code, String msg) {
            super(msg, null, false, false);
            this.code = code;
        }
    }

    @FunctionalInterface
    private interface Handler {
        List<ObjectNode> handle(ServerRequest req) throws Exception;
    }

    private void serve(ServerRequest req, ServerResponse res, Handler h) {
        try {
            Json.ok(res, h.handle(req));
        } catch (Bad e) {
            AdminReplies.refuse(req, res, e.code, e.getMessage());
        } catch (WalletRefusal e) {
            Json.error(res, Status.BAD_REQUEST_400, e.code(), e.getMessage());
        } catch (Exception e) {
            AdminReplies.systemError(req, res, e);
        }
    }

    private void withdrawals(ServerRequest req, ServerResponse res) {
        serve(req, res, r -> {
            List<Object> args = new ArrayList<>();
            StringBuilder where = new StringBuilder("WHERE 1 = 1");
            String state = r.query().first("state").orElse("");
            if (!state.isEmpty()) {
                String s = state.toUpperCase(Locale.ROOT);
                if ("REVIEW".equals(s)) {
                    s = "PENDING_REVIEW";
                }
                try {
                    Withdrawal.State.valueOf(s);
                } catch (IllegalArgumentException e) {
                    throw new Bad("51000", "Parameter state error: one of review, pending_review, approved, broadcast, "
                            + "confirmed, failed, rejected, canceled");
                }
                where.append(" AND state = ?");
                args.add(s);
            }
            String userId = r.query().first("userId").orElse("");
            if (!userId.isEmpty()) {
                where.append(" AND user_id = ?");
                args.add(userId(userId));
            }
            int limit = intParam(r.query().first("limit").orElse("100"), "limit", 1, 500);
            List<ObjectNode> out = new ArrayList<>();
            for (Withdrawal w : wallet.withdrawals(where + " ORDER BY wd_id DESC", args, limit)) {
                out.add(wallet.json(w));
            }
            return out;
        });
    }

    private void approve(ServerRequest req, ServerResponse res) {
        serve(req, res, r -> {
            Withdrawal w = wallet.approve(wdId(r), AdminGate.actor(r), AdminGate.requestId(r));
            AdminReplies.count(meters, "wallet.withdrawal.approve");
            return List.of(wallet.json(w));
        });
    }

    private void reject(ServerRequest req, ServerResponse res) {
        serve(req, res, r -> {
            ObjectNode body = Json.body(r);
            String reason = body == null ? null : Json.text(body, "reason");
            if (reason == null || reason.length() > 200) {
                throw new Bad("50014", "Parameter reason can not be empty (at most 200 characters).");
            }
            Withdrawal w = wallet.reject(wdId(r), "rejected: " + reason, AdminGate.actor(r), AdminGate.requestId(r));
            AdminReplies.count(meters, "wallet.withdrawal.reject");
            return List.of(wallet.json(w));
        });
    }

    private record Target(long userId, Asset asset, String address) {
    }

    private Target whitelistTarget(ServerRequest r, ObjectNode body) throws Exception {
        String userId = body != null ? Json.text(body, "userId") : r.query().first("userId").orElse(null);
        String ccy = body != null ? Json.text(body, "ccy") : r.query().first("ccy").orElse(null);
        String addr = body != null ? Json.text(body, "addr") : r.query().first("addr").orElse(null);
        if (userId == null || ccy == null || addr == null) {
            throw new Bad("50014", "Parameters userId, ccy and addr can not be empty.");
        }
        Asset a = wallet.asset(ccy);
        if (a == null) {
            throw new Bad("51000", "Parameter ccy error");
        }
        if (!ADDRESS.matcher(addr).matches()) {
            throw new Bad("58222", "Invalid withdrawal address");
        }
        return new Target(userId(userId), a, addr);
    }

    private void addWhitelist(ServerRequest req, ServerResponse res) {
        serve(req, res, r -> {
            ObjectNode body = Json.body(r);
            if (body == null) {
                throw new Bad("50000", "Body for POST request cannot be empty.");
            }
            Target t = whitelistTarget(r, body);
            return List.of(Wallet.whitelistJson(wallet.addToWhitelist(t.userId(), t.asset().code(), t.address(),
                    AdminGate.actor(r), AdminGate.requestId(r))));
        });
    }

    private void listWhitelist(ServerRequest req, ServerResponse res) {
        serve(req, res, r -> {
            long userId = userId(r.query().first("userId").orElse(""));
            List<ObjectNode> out = new ArrayList<>();
            for (Wallet.WhitelistEntry e : wallet.whitelist(userId)) {
                out.add(Wallet.whitelistJson(e));
            }
            return out;
        });
    }

    private void removeWhitelist(ServerRequest req, ServerResponse res) {
        serve(req, res, r -> {
            ObjectNode body = r.query().first("userId").isPresent() ? null : Json.body(r);
            Target t = whitelistTarget(r, body);
            if (!wallet.removeFromWhitelist(t.userId(), t.asset().code(), t.address(), AdminGate.actor(r),
                    AdminGate.requestId(r))) {
                throw new Bad("51000", "Address " + t.address() + " is not on the whitelist of " + t.userId() + " for "
                        + t.asset().code());
            }
            ObjectNode n = Json.MAPPER.createObjectNode();
            n.put("userId", Long.toString(t.userId()));
            n.put("ccy", t.asset().code());
            n.put("addr", t.address());
            n.put("removed", true);
            return List.of(n);
        });
    }

    private void policies(ServerRequest req, ServerResponse res) {
        serve(req, res, r -> {
            List<ObjectNode> out = new ArrayList<>();
            for (WalletPolicy p : wallet.policies().all()) {
                Asset a = wallet.asset(p.asset());
                out.add(p.toJson(a == null ? 0 : a.scale()));
            }
            return out;
        });
    }

    // ------------------------------------------------------------------ simulated chain

    private SimulatedChain sim() {
        return (SimulatedChain) wallet.chain();
    }

    private void simDeposit(ServerRequest req, ServerResponse res) {
        serve(req, res, r -> {
            ObjectNode body = Json.body(r);
            if (body == null) {
                throw new Bad("50000", "Body for POST request cannot be empty.");
            }
            Asset a = wallet.asset(Json.text(body, "ccy"));
            if (a == null) {
                throw new Bad("51000", "Parameter ccy error");
            }
            String address = Json.text(body, "address");
            String userId = Json.text(body, "userId");
            if (address == null && userId == null) {
                throw new Bad("50014", "Parameter userId or address can not be empty.");
            }
            if (address == null) {
                address = wallet.depositAddress(userId(userId), a);
            }
            long amt;
            try {
                amt = Decimals.parse(Json.text(body, "amt"), a.scale());
            } catch (IllegalArgumentException e) {
                amt = 0;
            }
            if (amt <= 0) {
                throw new Bad("51000", "Parameter amt error");
            }
            String txId = sim().injectDeposit(a.code(), address, amt);
            ObjectNode n = Json.MAPPER.createObjectNode();
            n.put("txId", txId);
            n.put("address", address);
            n.put("ccy", a.code());
            n.put("amt", Decimals.format(amt, a.scale()));
            wallet.auditAction(new AuditRecord(AdminGate.actor(r), "wallet.sim.deposit", "sim:" + txId, null, n.toString(),
                    AdminGate.requestId(r)));
            return List.of(n);
        });
    }

    private void simMine(ServerRequest req, ServerResponse res) {
        serve(req, res, r -> {
            ObjectNode body = Json.body(r);
            int blocks = intParam(body == null || Json.text(body, "blocks") == null ? "1" : Json.text(body, "blocks"),
                    "blocks", 1, 10_000);
            long before = sim().tipHeight();
            long height = sim().mine(blocks);
            ObjectNode n = Json.MAPPER.createObjectNode();
            n.put("height", height);
            wallet.auditAction(new AuditRecord(AdminGate.actor(r), "wallet.sim.mine", "sim:blocks",
                    "{\"height\":" + before + "}", n.toString(), AdminGate.requestId(r)));
            return List.of(n);
        });
    }

    private void simFailPayout(ServerRequest req, ServerResponse res) {
        serve(req, res, r -> {
            ObjectNode body = Json.body(r);
            String wdId = body == null ? null : Json.text(body, "wdId");
            if (wdId == null) {
                throw new Bad("50014", "Parameter wdId can not be empty (a withdrawal id or \"next\").");
            }
            ObjectNode n = Json.MAPPER.createObjectNode();
            n.put("wdId", wdId);
            if ("next".equals(wdId)) {
                sim().failNextPayout();
            } else {
                long id;
                try {
                    id = Long.parseLong(wdId);
                } catch (NumberFormatException e) {
                    throw new Bad("51000", "Parameter wdId error");
                }
                if (!sim().failPayout(id)) {
                    throw new Bad("58216", "Operation not allowed: withdrawal " + id + " has no unmined payout on the simulated chain");
                }
            }
            n.put("failing", true);
            wallet.auditAction(new AuditRecord(AdminGate.actor(r), "wallet.sim.fail-payout", "sim:payout:" + wdId, null,
                    n.toString(), AdminGate.requestId(r)));
            return List.of(n);
        });
    }

    // ------------------------------------------------------------------ parameters

    private static long wdId(ServerRequest r) {
        try {
            return Long.parseLong(r.path().pathParameters().get("wdId"));
        } catch (NumberFormatException e) {
            throw new Bad("51000", "Parameter wdId error");
        }
    }

    private static long userId(String v) {
        if (v == null || v.isEmpty()) {
            throw new Bad("50014", "Parameter userId can not be empty.");
        }
        try {
            long id = Long.parseLong(v.trim());
            if (id <= 0) {
                throw new NumberFormatException();
            }
            return id;
        } catch (NumberFormatException e) {
            throw new Bad("51000", "Parameter userId error");
        }
    }

    private static int intParam(String v, String name, int min, int max) {
        try {
            int i = Integer.parseInt(v.trim());
            if (i < min || i > max) {
                throw new NumberFormatException();
            }
            return i;
        } catch (NumberFormatException e) {
            throw new Bad("51000", "Parameter " + name + " error: " + min + ".." + max);
        }
    }
}
