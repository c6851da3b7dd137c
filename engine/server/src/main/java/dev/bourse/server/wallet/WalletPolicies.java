package dev.bourse.server.wallet;

import dev.bourse.server.admin.AuditLog;
import dev.bourse.server.admin.AuditRecord;
import dev.bourse.server.ledger.Ledger;
import dev.bourse.server.store.Database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The stored wallet policies ({@code wallet_policies}). Read from the table on every use, so a policy
 * pushed to one pod applies at once on every pod. Changes are level-triggered and ordered by the
 * operator's generation: an older generation changes nothing, the same generation with the same
 * settings changes nothing, a newer one replaces the policy and bumps its version; each applied change
 * writes its audit row in the same transaction.
 */
public final class WalletPolicies {
    private static final String COLUMNS = "asset, deposits_enabled, withdrawals_enabled, confirmations, min_withdrawal, "
            + "max_withdrawal, daily_limit, review_threshold, whitelist_required, cooldown_ms, withdrawal_fee, generation, "
            + "version, updated_at";

    /** What a PUT did: the policy now in force and whether this request changed it. */
    public record Applied(WalletPolicy policy, Outcome outcome) {
    }

    public enum Outcome {
        /** Stored (new asset or newer generation). */
        APPLIED,
        /** Same generation and settings as stored: nothing to do. */
        UNCHANGED,
        /** Older generation than stored: ignored, the stored policy stays. */
        STALE
    }

    private final Database db;
    private final AuditLog audit;
    private final Clock clock;

    WalletPolicies(Database db, AuditLog audit, Clock clock) {
        this.db = db;
        this.audit = audit;
        this.clock = clock;
    }

    public Optional<WalletPolicy> get(String asset) throws SQLException {
        try (Connection c = db.connection()) {
            return read(c, asset, false);
        }
    }

    public List<WalletPolicy> all() throws SQLException {
        List<WalletPolicy> out = new ArrayList<>();
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM wallet_policies ORDER BY asset");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(row(rs));
            }
        }
        return out;
    }

    /**
     * Applies a desired policy. The same generation with different settings is refused
     * ({@link IllegalStateException}): a generation names one spec, so that is a second writer.
     */
    public Applied apply(WalletPolicy desired, String actor, String requestId, int scale) throws SQLException {
        for (int attempt = 0; ; attempt++) {
            try (Connection c = db.connection()) {
                c.setAutoCommit(false);
                try {
                    Applied a = apply(c, desired, actor, requestId, scale);
                    c.commit();
                    return a;
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    // two first PUTs of one asset raced on the insert: the loser reads the winner's row
                    if (attempt == 0 && Ledger.isUniqueViolation(e)) {
                        continue;
                    }
                    throw e;
                }
            }
        }
    }

    private Applied apply(Connection c, WalletPolicy desired, String actor, String requestId, int scale)
            throws SQLException {
        Optional<WalletPolicy> stored = read(c, desired.asset(), true);
        long now = clock.millis();
        if (stored.isPresent()) {
            WalletPolicy s = stored.get();
            if (desired.generation() < s.generation()) {
                return new Applied(s, Outcome.STALE);
            }
            if (desired.generation() == s.generation()) {
                if (s.sameSettings(desired)) {
                    return new Applied(s, Outcome.UNCHANGED);
                }
                throw new IllegalStateException("generation " + s.generation() + " of " + s.asset()
                        + " is already applied with other settings; a changed spec needs a new generation");
            }
            WalletPolicy next = desired.withVersion(desired.generation(), s.version() + 1, now);
            write(c, next, true);
            audit.append(c, new AuditRecord(actor, "wallet.policy.apply", "wallet-policy:" + s.asset(),
                    s.toJson(scale).toString(), next.toJson(scale).toString(), requestId));
            return new Applied(next, Outcome.APPLIED);
        }
        WalletPolicy first = desired.withVersion(desired.generation(), 1, now);
        write(c, first, false);
        audit.append(c, new AuditRecord(actor, "wallet.policy.apply", "wallet-policy:" + first.asset(), null,
                first.toJson(scale).toString(), requestId));
        return new Applied(first, Outcome.APPLIED);
    }

    private static Optional<WalletPolicy> read(Connection c, String asset, boolean forUpdate) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM wallet_policies WHERE asset = ?"
                + (forUpdate ? " FOR UPDATE" : ""))) {
            ps.setString(1, asset);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    private static void write(Connection c, WalletPolicy p, boolean update) throws SQLException {
        String sql = update
                ? "UPDATE wallet_policies SET deposits_enabled = ?, withdrawals_enabled = ?, confirmations = ?, "
                + "min_withdrawal = ?, max_withdrawal = ?, daily_limit = ?, review_threshold = ?, whitelist_required = ?, "
                + "cooldown_ms = ?, withdrawal_fee = ?, generation = ?, version = ?, updated_at = ? WHERE asset = ?"
                : "INSERT INTO wallet_policies (deposits_enabled, withdrawals_enabled, confirmations, min_withdrawal, "
                + "max_withdrawal, daily_limit, review_threshold, whitelist_required, cooldown_ms, withdrawal_fee, "
                + "generation, version, updated_at, asset) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setBoolean(1, p.depositsEnabled());
            ps.setBoolean(2, p.withdrawalsEnabled());
            ps.setInt(3, p.confirmations());
            ps.setLong(4, p.minWithdrawal());
            ps.setLong(5, p.maxWithdrawal());
            ps.setLong(6, p.dailyLimit());
            ps.setLong(7, p.reviewThreshold());
            ps.setBoolean(8, p.whitelistRequired());
            ps.setLong(9, p.cooldownMillis());
            ps.setLong(10, p.withdrawalFee());
            ps.setLong(11, p.generation());
            ps.setLong(12, p.version());
            ps.setLong(13, p.updatedAt());
            ps.setString(14, p.asset());
            ps.executeUpdate();
        }
    }

    private static WalletPolicy row(ResultSet rs) throws SQLException {
        return new WalletPolicy(rs.getString(1), rs.getBoolean(2), rs.getBoolean(3), rs.getInt(4), rs.getLong(5),
                rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getBoolean(9), rs.getLong(10), rs.getLong(11),
                rs.getLong(12), rs.getLong(13), rs.getLong(14));
    }
}
