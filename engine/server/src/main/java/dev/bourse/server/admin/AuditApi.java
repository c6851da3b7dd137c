package dev.bourse.server.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bourse.server.http.Json;
import dev.bourse.server.store.Database;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The audit log, read only, under {@code /admin/v1} behind {@link AdminGate}:
 * <pre>
 * GET /audit?action=&target=&actor=&after=&limit=   newest first; after=&lt;auditId&gt; pages to older rows
 * </pre>
 * There is deliberately no route that changes {@code audit_log}: rows are only ever appended, by the
 * transaction of the change they describe ({@link AuditLog}).
 */
public final class AuditApi implements HttpService {
    static final int MAX_LIMIT = 100;

    private final Database db;

    public AuditApi(Database db) {
        this.db = db;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/audit", this::query);
    }

    private void query(ServerRequest req, ServerResponse res) {
        Optional<String> action = param(req, "action");
        Optional<String> target = param(req, "target");
        Optional<String> actor = param(req, "actor");
        Long after = null;
        int limit = MAX_LIMIT;
        try {
            if (param(req, "after").isPresent()) {
                after = Long.parseLong(param(req, "after").get().trim());
            }
        } catch (NumberFormatException e) {
            AdminReplies.refuse(req, res, "51000", "Parameter after error");
            return;
        }
        try {
            if (param(req, "limit").isPresent()) {
                limit = Integer.parseInt(param(req, "limit").get().trim());
            }
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            AdminReplies.refuse(req, res, "51000", "Parameter limit error: 1.." + MAX_LIMIT);
            return;
        }
        StringBuilder sql = new StringBuilder("SELECT audit_id, at, actor, action, target, before_state, after_state, "
                + "request_id FROM audit_log WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        action.ifPresent(v -> {
            sql.append(" AND action = ?");
            args.add(v);
        });
        target.ifPresent(v -> {
            sql.append(" AND target = ?");
            args.add(v);
        });
        actor.ifPresent(v -> {
            sql.append(" AND actor = ?");
            args.add(v);
        });
        if (after != null) {
            sql.append(" AND audit_id < ?");
            args.add(after);
        }
        sql.append(" ORDER BY audit_id DESC LIMIT ?");
        args.add(limit);
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            List<ObjectNode> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp at = rs.getTimestamp(2);
                    rows.add(Json.MAPPER.createObjectNode()
                            .put("auditId", Long.toString(rs.getLong(1)))
                            .put("ts", at == null ? "" : Long.toString(at.getTime()))
                            .put("actor", text(rs, 3))
                            .put("action", text(rs, 4))
                            .put("target", text(rs, 5))
                            .put("before", text(rs, 6))
                            .put("after", text(rs, 7))
                            .put("requestId", text(rs, 8)));
                }
            }
            Json.ok(res, rows);
        } catch (SQLException | RuntimeException e) {
            AdminReplies.systemError(req, res, e);
        }
    }

    private static String text(ResultSet rs, int column) throws SQLException {
        String v = rs.getString(column);
        return v == null ? "" : v;
    }

    private static Optional<String> param(ServerRequest req, String name) {
        return req.query().first(name).asOptional().filter(s -> !s.isBlank());
    }
}
