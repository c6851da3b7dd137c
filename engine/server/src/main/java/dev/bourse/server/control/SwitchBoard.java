package dev.bourse.server.control;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bourse.server.admin.AuditLog;
import dev.bourse.server.admin.AuditRecord;
import dev.bourse.server.http.Json;
import dev.bourse.server.store.Database;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * The kill switches of the exchange: stored in the database (so restarts keep them and every pod sees
 * the same set), merged into one {@link TradingPolicy} and handed to whoever enforces them (the shard's
 * sequencer, the rate limits, the market-data fan-out, the wallet). A change is written with its audit
 * row in one transaction that also bumps the board version; each pod polls that version and reloads, so
 * a switch set through any pod reaches all of them within one poll interval.
 */
public final class SwitchBoard implements FundsControls, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SwitchBoard.class.getName());
    /** Kubernetes object names, so a TradingSwitch resource can own the switch of its own name. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,61}[a-z0-9])?");

    private final Database db;
    private final AuditLog audit;
    private final List<Consumer<TradingPolicy>> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService poller;
    private final Counter changes;
    private final Counter pollFailures;
    private volatile TradingPolicy policy = TradingPolicy.OPEN;

    /** Result of a write: the switch as stored (null after a delete) and whether anything changed. */
    public record Change(TradingSwitch stored, boolean changed, TradingPolicy policy) {
    }

    public SwitchBoard(Database db, AuditLog audit, MeterRegistry meters) {
        this.db = db;
        this.audit = audit;
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "switch-board-poller");
            t.setDaemon(true);
            return t;
        });
        this.changes = Counter.builder("bourse_switch_changes_total")
                .description("Switch definitions created, changed or removed").register(meters);
        this.pollFailures = Counter.builder("bourse_switch_poll_failures_total")
                .description("Failed reads of the switch board (the last policy stays in force)").register(meters);
        for (SwitchSpec.ScopeKind k : SwitchSpec.ScopeKind.values()) {
            Gauge.builder("bourse_switches_active", this, b -> b.policy.count(k))
                    .tag("scope", k.name().toLowerCase(java.util.Locale.ROOT).replaceAll("s$", ""))
                    .description("Active switches by scope").register(meters);
        }
        Gauge.builder("bourse_switch_board_version", this, b -> b.policy.version())
                .description("Version of the switch set this pod enforces").register(meters);
    }

    /** Loads the stored switches (before the shard starts, so it never runs without them). */
    public SwitchBoard load() throws SQLException {
        publish(read());
        return this;
    }

    /** Polls the board every {@code pollMillis} for changes made through other pods. */
    public void start(long pollMillis) {
        poller.scheduleWithFixedDelay(this::refreshQuietly, pollMillis, pollMillis, TimeUnit.MILLISECONDS);
    }

    /** Called with the current policy now and with every new one. */
    public void onChange(Consumer<TradingPolicy> listener) {
        listeners.add(listener);
        listener.accept(policy);
    }

    public TradingPolicy policy() {
        return policy;
    }

    public Optional<TradingSwitch> get(String name) {
        return policy.switches().stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /**
     * Creates or replaces the switch {@code name}. {@code generation} &gt; 0 comes from the control plane
     * (the resource's metadata.generation): an older generation than the stored one is refused, the same
     * generation with the same definition changes nothing (level-triggered pushes are idempotent).
     */
    public Change put(String name, SwitchSpec spec, long generation, String actor, String requestId)
            throws SwitchSpecException, SQLException {
        checkName(name);
        if (generation < 0) {
            throw new SwitchSpecException("51000", "Parameter generation error: must be >= 0");
        }
        String json = spec.toJson().toString();
        TradingSwitch stored;
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try {
                long version = lockBoard(c);
                TradingSwitch before = readOne(c, name);
                if (before != null && generation > 0 && before.generation() > generation) {
                    c.rollback();
                    throw new SwitchSpecException("51000", "Parameter generation error: switch " + name + " is at generation "
                            + before.generation() + ", refusing older generation " + generation);
                }
                if (before != null && before.spec().equals(spec) && before.generation() == generation) {
                    c.rollback();
                    return new Change(before, false, policy);
                }
                long next = version + 1;
                long now = System.currentTimeMillis();
                try (PreparedStatement ps = c.prepareStatement(before == null
                        ? "INSERT INTO trading_switches (spec, generation, version, updated_at_ms, actor, name) VALUES (?, ?, ?, ?, ?, ?)"
                        : "UPDATE trading_switches SET spec = ?, generation = ?, version = ?, updated_at_ms = ?, actor = ? WHERE name = ?")) {
                    ps.setString(1, json);
                    ps.setLong(2, generation);
                    ps.setLong(3, next);
                    ps.setLong(4, now);
                    ps.setString(5, actor);
                    ps.setString(6, name);
                    ps.executeUpdate();
                }
                bumpBoard(c, next);
                audit.append(c, new AuditRecord(actor, before == null ? "switch.create" : "switch.update", "switch/" + name,
                        before == null ? null : before.spec().toJson().toString(), json, requestId));
                c.commit();
                stored = new TradingSwitch(name, spec, generation, next, now, actor);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        changes.increment();
        LOG.warning(() -> "switch " + name + " set by " + actor + " [" + requestId + "]: " + json);
        return new Change(stored, true, refresh());
    }

    /** Removes the switch {@code name} (the explicit resume); empty if there was none. */
    public Optional<Change> delete(String name, String actor, String requestId) throws SwitchSpecException, SQLException {
        checkName(name);
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try {
                long version = lockBoard(c);
                TradingSwitch before = readOne(c, name);
                if (before == null) {
                    c.rollback();
                    return Optional.empty();
                }
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM trading_switches WHERE name = ?")) {
                    ps.setString(1, name);
                    ps.executeUpdate();
                }
                bumpBoard(c, version + 1);
                audit.append(c, new AuditRecord(actor, "switch.delete", "switch/" + name, before.spec().toJson().toString(),
                        null, requestId));
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        changes.increment();
        LOG.warning(() -> "switch " + name + " removed by " + actor + " [" + requestId + "]");
        return Optional.of(new Change(null, true, refresh()));
    }

    /** Reloads if the stored version moved; returns the policy in force. */
    public TradingPolicy refresh() throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT version FROM switch_board WHERE board_id = 1");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            if (rs.getLong(1) == policy.version()) {
                return policy;
            }
        }
        return publish(read());
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (SQLException | RuntimeException e) {
            pollFailures.increment();
            LOG.log(Level.WARNING, "switch board poll failed; keeping version " + policy.version() + ": " + e.getMessage());
        }
    }

    private synchronized TradingPolicy publish(TradingPolicy next) {
        if (next.version() < policy.version()) {
            return policy; // a slower reader must not roll the policy back
        }
        boolean moved = next.version() != policy.version() || policy == TradingPolicy.OPEN;
        policy = next;
        if (moved) {
            for (Consumer<TradingPolicy> l : listeners) {
                try {
                    l.accept(next);
                } catch (RuntimeException e) {
                    LOG.log(Level.SEVERE, "switch listener failed for version " + next.version(), e);
                }
            }
        }
        return next;
    }

    private TradingPolicy read() throws SQLException {
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            long version;
            try (PreparedStatement ps = c.prepareStatement("SELECT version FROM switch_board WHERE board_id = 1");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                version = rs.getLong(1);
            }
            List<TradingSwitch> all = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT name, spec, generation, version, updated_at_ms, actor FROM trading_switches ORDER BY name");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    all.add(row(rs));
                }
            }
            c.commit();
            return new TradingPolicy(version, all);
        }
    }

    private static TradingSwitch readOne(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT name, spec, generation, version, updated_at_ms, actor FROM trading_switches WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? row(rs) : null;
            }
        }
    }

    private static TradingSwitch row(ResultSet rs) throws SQLException {
        String name = rs.getString(1);
        SwitchSpec spec;
        try {
            JsonNode n = Json.MAPPER.readTree(rs.getString(2));
            spec = SwitchSpec.parse(n);
        } catch (SwitchSpecException | com.fasterxml.jackson.core.JsonProcessingException e) {
            // stored by this code, so unreadable means corruption: refuse to run on a guessed policy
            throw new SQLException("stored switch " + name + " cannot be read: " + e.getMessage());
        }
        return new TradingSwitch(name, spec, rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getString(6));
    }

    private static long lockBoard(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT version FROM switch_board WHERE board_id = 1 FOR UPDATE");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void bumpBoard(Connection c, long version) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE switch_board SET version = ? WHERE board_id = 1")) {
            ps.setLong(1, version);
            ps.executeUpdate();
        }
    }

    static void checkName(String name) throws SwitchSpecException {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new SwitchSpecException("51000", "Parameter name error: 1-63 of [a-z0-9.-], starting and ending alphanumeric");
        }
    }

    @Override
    public String withdrawalBlock(long userId, String asset) {
        return policy.withdrawalBlock(userId, asset);
    }

    @Override
    public String depositBlock(long userId, String asset) {
        return policy.depositBlock(userId, asset);
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
