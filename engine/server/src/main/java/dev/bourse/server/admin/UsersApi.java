package dev.bourse.server.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bourse.fixed.Decimals;
import dev.bourse.server.http.Json;
import dev.bourse.server.ledger.AccountKind;
import dev.bourse.server.ledger.Ledger;
import dev.bourse.server.store.Database;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.micrometer.core.instrument.MeterRegistry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * User accounts, under {@code /admin/v1} behind {@link AdminGate}.
 * <pre>
 * POST /users              {"name"} -> the new account (id from user_account_ids, a zero balance per asset)
 * GET  /users?userId=|name= the account with every balance (available, held as exact decimals)
 * </pre>
 * The account, its balance rows and the audit row ({@code user.create}) commit in one transaction: the
 * same rows as {@link Ledger#createUser(String)}, here in one transaction with the audit row.
 */
public final class UsersApi implements HttpService {
    private static final Logger LOG = Logger.getLogger(UsersApi.class.getName());
    /** Names are identifiers, not free text: they land in logs and audit rows. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    static final String ACTION_CREATE = "user.create";

    private final Database db;
    private final AuditLog audit;
    private final MeterRegistry meters;
    private final Ledger ledger;

    public UsersApi(Database db, AuditLog audit, MeterRegistry meters) {
        this.db = db;
        this.audit = audit;
        this.meters = meters;
        this.ledger = new Ledger(db);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/users", this::create).get("/users", this::get);
    }

    private void create(ServerRequest req, ServerResponse res) {
        ObjectNode body = Json.body(req);
        if (body == null) {
            AdminReplies.refuse(req, res, "50000", "Body for POST request cannot be empty.");
            return;
        }
        String name = Json.text(body, "name");
        if (name == null) {
            AdminReplies.refuse(req, res, "50014", "Parameter name can not be empty.");
            return;
        }
        if (!NAME.matcher(name).matches()) {
            AdminReplies.refuse(req, res, "51000", "Parameter name error: 1-64 of [A-Za-z0-9._@-]");
            return;
        }
        try {
            long id;
            try (Connection c = db.connection()) {
                c.setAutoCommit(false);
                try {
                    if (accountId(c, name).isPresent()) {
                        c.rollback();
                        AdminReplies.refuse(req, res, "51000", "Parameter name error: an account named " + name
                                + " exists");
                        return;
                    }
                    id = ledger.createUser(c, name);
                    ObjectNode after = Json.MAPPER.createObjectNode()
                            .put("userId", Long.toString(id)).put("name", name).put("kind", AccountKind.USER.name());
                    audit.append(c, new AuditRecord(AdminGate.actor(req), ACTION_CREATE, Long.toString(id), null,
                            after.toString(), AdminGate.requestId(req)));
                    c.commit();
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    if (Ledger.isUniqueViolation(e)) { // created concurrently under the same name
                        AdminReplies.refuse(req, res, "51000", "Parameter name error: an account named " + name
                                + " exists");
                        return;
                    }
                    throw e;
                }
            }
            AdminReplies.count(meters, ACTION_CREATE);
            LOG.info(() -> "[" + AdminGate.requestId(req) + "] user account " + id + " (" + name + ") created by "
                    + AdminGate.actor(req));
            Json.ok(res, List.of(view(id).orElseThrow()));
        } catch (SQLException | RuntimeException e) {
            AdminReplies.systemError(req, res, e);
        }
    }

    private void get(ServerRequest req, ServerResponse res) {
        Optional<String> userId = req.query().first("userId").asOptional().filter(s -> !s.isBlank());
        Optional<String> name = req.query().first("name").asOptional().filter(s -> !s.isBlank());
        if (userId.isEmpty() && name.isEmpty()) {
            AdminReplies.refuse(req, res, "50014", "Parameter userId or name can not be empty.");
            return;
        }
        if (userId.isPresent() && name.isPresent()) {
            AdminReplies.refuse(req, res, "51000", "Parameter error: give userId or name, not both");
            return;
        }
        try {
            long id;
            if (userId.isPresent()) {
                try {
                    id = Long.parseLong(userId.get().trim());
                } catch (NumberFormatException e) {
                    AdminReplies.refuse(req, res, "51000", "Parameter userId error");
                    return;
                }
            } else {
                try (Connection c = db.connection()) {
                    Optional<Long> found = accountId(c, name.get());
                    if (found.isEmpty()) {
                        AdminReplies.refuse(req, res, "51000", "Parameter name error: no account named " + name.get());
                        return;
                    }
                    id = found.get();
                }
            }
            Optional<ObjectNode> account = view(id);
            if (account.isEmpty()) {
                AdminReplies.refuse(req, res, "51000", "Parameter userId error: no account " + id);
                return;
            }
            Json.ok(res, List.of(account.get()));
        } catch (SQLException | RuntimeException e) {
            AdminReplies.systemError(req, res, e);
        }
    }

    /** The account with all its balances, amounts as exact decimals in each asset's scale. */
    Optional<ObjectNode> view(long accountId) throws SQLException {
        try (Connection c = db.connection()) {
            ObjectNode n = Json.MAPPER.createObjectNode();
            try (PreparedStatement ps = c.prepareStatement("SELECT account_id, name, kind FROM accounts WHERE account_id = ?")) {
                ps.setLong(1, accountId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    n.put("userId", Long.toString(rs.getLong(1)));
                    n.put("name", rs.getString(2));
                    n.put("kind", rs.getString(3));
                }
            }
            ArrayNode balances = n.putArray("balances");
            try (PreparedStatement ps = c.prepareStatement("SELECT a.code, a.scale, b.available, b.held FROM balances b "
                    + "JOIN assets a ON a.asset_id = b.asset_id WHERE b.account_id = ? ORDER BY b.asset_id")) {
                ps.setLong(1, accountId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        int scale = rs.getInt(2);
                        balances.addObject()
                                .put("ccy", rs.getString(1))
                                .put("available", Decimals.format(rs.getLong(3), scale))
                                .put("held", Decimals.format(rs.getLong(4), scale));
                    }
                }
            }
            return Optional.of(n);
        }
    }

    private static Optional<Long> accountId(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT account_id FROM accounts WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }
}
