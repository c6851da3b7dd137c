package dev.bourse.server.wallet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bourse.asset.Asset;
import dev.bourse.server.admin.AdminGate;
import dev.bourse.server.http.Json;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Wallet policies as desired state from the operator, registered at {@code /internal/v1} after the
 * InternalApi (which checks {@code X-Internal-Token} for everything under that prefix):
 * <pre>
 * PUT /wallet-policies/{asset}   the WalletPolicy (flat, or {"metadata":{"generation"},"spec":{...}})
 *                                -> {asset, generation, version, applied, outcome, policy}
 * GET /wallet-policies           every stored policy
 * GET /wallet-policies/{asset}   one (51000 when the asset has none: deposits and withdrawals disabled)
 * </pre>
 * Level-triggered and idempotent: the same generation again changes nothing, an older one is ignored
 * (the answer says which generation is applied). Applied changes are audited (actor {@code internal}, or
 * {@code X-Admin-Actor}) and counted as the high-risk admin action {@code wallet.policy.apply}.
 */
public final class WalletInternalApi implements HttpService {
    private static final Logger LOG = Logger.getLogger(WalletInternalApi.class.getName());
    private static final Pattern ACTOR = Pattern.compile("[A-Za-z0-9._@:-]{1,64}");
    public static final String DEFAULT_ACTOR = "internal";

    private final Wallet wallet;
    private final Counter policyChanges;

    public WalletInternalApi(Wallet wallet, MeterRegistry meters) {
        this.wallet = wallet;
        this.policyChanges = Counter.builder("bourse_admin_operations_total")
                .description("High-risk admin operations carried out")
                .tag("action", "wallet.policy.apply")
                .register(meters);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.put("/wallet-policies/{asset}", this::put)
                .get("/wallet-policies", this::list)
                .get("/wallet-policies/{asset}", this::get);
    }

    private void put(ServerRequest req, ServerResponse res) {
        String code = req.path().pathParameters().get("asset");
        try {
            Asset asset = wallet.asset(code);
            if (asset == null) {
                refuse(req, res, "51000", "Parameter asset error: " + code + " is not listed");
                return;
            }
            JsonNode body;
            try {
                byte[] bytes = req.content().as(byte[].class);
                body = bytes.length == 0 ? null : Json.MAPPER.readTree(bytes);
            } catch (IOException e) {
                refuse(req, res, "50002", "JSON syntax error");
                return;
            }
            if (body == null || !body.isObject()) {
                refuse(req, res, "50000", "Body for PUT request cannot be empty.");
                return;
            }
            WalletPolicy desired;
            try {
                desired = WalletPolicy.parse(asset, body);
            } catch (IllegalArgumentException | ArithmeticException e) {
                refuse(req, res, "51000", "Parameter error: " + e.getMessage());
                return;
            }
            String actor = req.headers().first(AdminGate.ACTOR_HEADER).filter(a -> ACTOR.matcher(a).matches())
                    .orElse(DEFAULT_ACTOR);
            WalletPolicies.Applied a;
            try {
                a = wallet.policies().apply(desired, actor, null, asset.scale());
            } catch (IllegalStateException e) {
                LOG.warning(() -> "internal API: wallet policy " + code + " refused: " + e.getMessage());
                Json.error(res, Status.CONFLICT_409, "51000", e.getMessage());
                return;
            }
            if (a.outcome() == WalletPolicies.Outcome.APPLIED) {
                policyChanges.increment();
                LOG.info(() -> "wallet policy " + code + " generation " + a.policy().generation() + " applied (version "
                        + a.policy().version() + ") by " + actor);
            } else if (a.outcome() == WalletPolicies.Outcome.STALE) {
                LOG.info(() -> "wallet policy " + code + ": generation " + desired.generation() + " is older than the applied "
                        + a.policy().generation() + "; ignored");
            }
            ObjectNode n = Json.MAPPER.createObjectNode();
            n.put("asset", code);
            n.put("generation", a.policy().generation());
            n.put("version", a.policy().version());
            n.put("applied", a.outcome() == WalletPolicies.Outcome.APPLIED);
            n.put("outcome", a.outcome().name().toLowerCase(java.util.Locale.ROOT));
            n.set("policy", a.policy().toJson(asset.scale()));
            Json.ok(res, List.of(n));
        } catch (Exception e) {
            systemError(req, res, e);
        }
    }

    private void list(ServerRequest req, ServerResponse res) {
        try {
            List<ObjectNode> out = new ArrayList<>();
            for (WalletPolicy p : wallet.policies().all()) {
                Asset a = wallet.asset(p.asset());
                out.add(p.toJson(a == null ? 0 : a.scale()));
            }
            Json.ok(res, out);
        } catch (Exception e) {
            systemError(req, res, e);
        }
    }

    private void get(ServerRequest req, ServerResponse res) {
        String code = req.path().pathParameters().get("asset");
        try {
            Asset a = wallet.asset(code);
            Optional<WalletPolicy> p = a == null ? Optional.empty() : wallet.policies().get(code);
            if (p.isEmpty()) {
                Json.send(res, Status.NOT_FOUND_404, "51000", "No wallet policy for " + code
                        + " (deposits and withdrawals are disabled)", List.of());
                return;
            }
            Json.ok(res, List.of(p.get().toJson(a.scale())));
        } catch (Exception e) {
            systemError(req, res, e);
        }
    }

    private static void refuse(ServerRequest req, ServerResponse res, String code, String msg) {
        LOG.info(() -> "internal API: refused " + req.prologue().method() + " " + req.path().path() + ": " + code + " " + msg);
        Json.error(res, Status.BAD_REQUEST_400, code, msg);
    }

    private static void systemError(ServerRequest req, ServerResponse res, Exception e) {
        LOG.log(Level.SEVERE, "internal API: " + req.prologue().method() + " " + req.path().path() + " failed", e);
        Json.error(res, Status.INTERNAL_SERVER_ERROR_500, "50026", "System error. Try again later");
    }
}
