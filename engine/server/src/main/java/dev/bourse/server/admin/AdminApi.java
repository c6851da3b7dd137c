package dev.bourse.server.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bourse.server.auth.ApiKeyInfo;
import dev.bourse.server.auth.ApiKeyRequestException;
import dev.bourse.server.auth.ApiKeyStore;
import dev.bourse.server.auth.CreatedApiKey;
import dev.bourse.server.auth.NewApiKey;
import dev.bourse.server.http.Json;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.micrometer.core.instrument.MeterRegistry;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The admin API ({@code X-Admin-Token}), mounted at {@code /admin/v1}: API-key management.
 * <pre>
 * POST /api-keys          {"userId","label","passphrase","perm","ip"} -> the key and its secret (shown once)
 * GET  /api-keys?userId=  the user's keys, no secrets
 * POST /api-keys/revoke   {"apiKey"}
 * </pre>
 * Every change writes its audit row (actor, key state before and after, request id) in its own transaction. Answers are OKX
 * envelopes; refused requests change nothing and are logged.
 */
public final class AdminApi implements HttpService {
    public static final String TOKEN_HEADER = AdminGate.TOKEN_HEADER;

    private final ApiKeyStore keys;
    private final MeterRegistry meters;

    public AdminApi(ApiKeyStore keys, MeterRegistry meters) {
        this.keys = keys;
        this.meters = meters;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/api-keys", this::create)
                .get("/api-keys", this::list)
                .post("/api-keys/revoke", this::revoke);
    }

    private void create(ServerRequest req, ServerResponse res) {
        ObjectNode body = Json.body(req);
        if (body == null) {
            AdminReplies.refuse(req, res, "50000", "Body for POST request cannot be empty.");
            return;
        }
        try {
            NewApiKey request = NewApiKey.parse(Json.text(body, "userId"), Json.text(body, "label"),
                    Json.text(body, "passphrase"), Json.text(body, "perm"), Json.text(body, "ip"));
            CreatedApiKey created = keys.create(request, AdminGate.actor(req), AdminGate.requestId(req));
            AdminReplies.count(meters, "api_key.create");
            ObjectNode row = view(created.info());
            row.put("secretKey", created.secretKey());
            Json.ok(res, List.of(row));
        } catch (ApiKeyRequestException e) {
            AdminReplies.refuse(req, res, e.code(), e.getMessage());
        } catch (SQLException | RuntimeException e) {
            AdminReplies.systemError(req, res, e);
        }
    }

    private void list(ServerRequest req, ServerResponse res) {
        Optional<String> userId = req.query().first("userId").asOptional();
        if (userId.isEmpty() || userId.get().isBlank()) {
            AdminReplies.refuse(req, res, "50014", "Parameter userId can not be empty.");
            return;
        }
        long id;
        try {
            id = Long.parseLong(userId.get().trim());
        } catch (NumberFormatException e) {
            AdminReplies.refuse(req, res, "51000", "Parameter userId error");
            return;
        }
        try {
            List<ObjectNode> rows = new ArrayList<>();
            for (ApiKeyInfo k : keys.list(id)) {
                rows.add(view(k));
            }
            Json.ok(res, rows);
        } catch (SQLException | RuntimeException e) {
            AdminReplies.systemError(req, res, e);
        }
    }

    private void revoke(ServerRequest req, ServerResponse res) {
        ObjectNode body = Json.body(req);
        if (body == null) {
            AdminReplies.refuse(req, res, "50000", "Body for POST request cannot be empty.");
            return;
        }
        String apiKey = Json.text(body, "apiKey");
        if (apiKey == null) {
            AdminReplies.refuse(req, res, "50014", "Parameter apiKey can not be empty.");
            return;
        }
        try {
            Optional<ApiKeyInfo> revoked = keys.revoke(apiKey, AdminGate.actor(req), AdminGate.requestId(req));
            if (revoked.isEmpty()) {
                AdminReplies.refuse(req, res, "50119", "API key doesn't exist");
                return;
            }
            AdminReplies.count(meters, "api_key.revoke");
            Json.ok(res, List.of(view(revoked.get())));
        } catch (SQLException | RuntimeException e) {
            AdminReplies.systemError(req, res, e);
        }
    }

    /** A key as the admin API shows it (OKX's field names; never the secret or passphrase). */
    private static ObjectNode view(ApiKeyInfo k) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("apiKey", k.apiKey());
        n.put("userId", Long.toString(k.userId()));
        n.put("label", k.label());
        n.put("perm", k.perm());
        n.put("ip", k.ips().csv());
        n.put("ts", Long.toString(k.createdAt()));
        n.put("revokedTs", k.revokedAt() == null ? "" : Long.toString(k.revokedAt()));
        n.put("expTs", k.expiresAt() == null ? "" : Long.toString(k.expiresAt()));
        n.put("state", k.revoked() ? "revoked" : "live");
        return n;
    }
}
