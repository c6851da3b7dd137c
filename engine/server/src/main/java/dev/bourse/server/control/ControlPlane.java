package dev.bourse.server.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bourse.instrument.SymbolState;
import dev.bourse.server.admin.AuditLog;
import dev.bourse.server.admin.AuditRecord;
import dev.bourse.server.http.Json;
import dev.bourse.server.routing.PeerClient;
import dev.bourse.server.routing.PeerResponse;
import dev.bourse.server.routing.ShardDirectory;
import dev.bourse.server.shard.CommandOutcome;
import dev.bourse.server.shard.Shard;
import dev.bourse.server.shard.ShardCommand;
import dev.bourse.server.store.Database;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

/**
 * The engine side of the control plane, shared by the admin API (people) and the internal API (the
 * operator and other pods): this pod's status, where each shard stands with the switches, and symbol
 * state changes routed to the shard that owns the symbol.
 */
public final class ControlPlane {
    private static final Logger LOG = Logger.getLogger(ControlPlane.class.getName());
    /** How long a switch change waits for the shards to report they enforce it before answering. */
    static final long APPLY_WAIT_MILLIS = 5_000;

    private final SwitchBoard board;
    private final Shard shard;
    private final ShardDirectory directory;
    private final PeerClient peers;
    private final Database db;
    private final AuditLog audit;
    private final BooleanSupplier recovered;

    public ControlPlane(SwitchBoard board, Shard shard, ShardDirectory directory, PeerClient peers, Database db,
                        AuditLog audit, BooleanSupplier recovered) {
        this.board = board;
        this.shard = shard;
        this.directory = directory;
        this.peers = peers;
        this.db = db;
        this.audit = audit;
        this.recovered = recovered;
    }

    public SwitchBoard board() {
        return board;
    }

    /** This pod's status, as the operator reads it. */
    public ObjectNode status() {
        ObjectNode n = Json.MAPPER.createObjectNode();
        Shard.PolicyApplied applied = shard.policyApplied();
        TradingPolicy policy = board.policy();
        n.put("shardId", shard.shardId());
        n.put("epoch", shard.epoch());
        n.put("recovered", recovered.getAsBoolean());
        n.put("ready", shard.ready());
        n.put("fenced", shard.fenced());
        n.put("queueLength", shard.queueLength());
        n.put("batchesInFlight", shard.batchesInFlight());
        n.put("lastCommittedSeq", shard.lastCommittedSeq());
        n.put("switchVersion", policy.version());
        n.put("appliedSwitchVersion", applied.version());
        n.put("appliedAfterSeq", applied.seq());
        n.put("drainRequested", policy.drainRequested());
        n.put("drained", shard.drained());
        ArrayNode active = n.putArray("activeSwitches");
        for (TradingSwitch sw : policy.switches()) {
            ObjectNode a = active.addObject();
            a.put("name", sw.name());
            a.put("mode", sw.spec().effectiveMode().wire());
            a.put("version", sw.version());
            a.put("generation", sw.generation());
        }
        ArrayNode symbols = n.putArray("symbols");
        new TreeSet<>(shard.symbols()).forEach(symbols::add);
        ObjectNode states = n.putObject("symbolStates"); // live | cancel_only | suspend, as the engine holds them
        shard.symbolStates().forEach((instId, st) -> states.put(instId, st.okxState()));
        return n;
    }

    /**
     * Where every shard stands with switch-board {@code version}: waits up to {@link #APPLY_WAIT_MILLIS}
     * for each to report it enforces that version (this pod directly, the others over the internal API).
     */
    public List<ObjectNode> appliedEverywhere(long version) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(APPLY_WAIT_MILLIS);
        List<ObjectNode> out = new ArrayList<>();
        for (int id : new TreeSet<>(directory.shardIds())) {
            ObjectNode row = Json.MAPPER.createObjectNode();
            row.put("shard", id);
            while (true) {
                long v;
                long seq;
                if (id == shard.shardId()) {
                    Shard.PolicyApplied a = shard.policyApplied();
                    v = a.version();
                    seq = a.seq();
                } else {
                    PeerResponse r = peers.get(id, "/status");
                    JsonNode d = r.ok() && !r.data().isEmpty() ? r.data().get(0) : null;
                    v = d == null ? -1 : d.path("appliedSwitchVersion").asLong(-1);
                    seq = d == null ? -1 : d.path("appliedAfterSeq").asLong(-1);
                }
                if (v >= version || System.nanoTime() > deadline) {
                    row.put("appliedSwitchVersion", v);
                    row.put("appliedAfterSeq", seq);
                    row.put("confirmed", v >= version);
                    break;
                }
                sleep(20);
            }
            out.add(row);
        }
        return out;
    }

    /** Parses a symbol state as OKX names it (live, cancel_only, suspend) or as Bourse does. */
    public static SymbolState parseState(String s) {
        if (s == null) {
            return null;
        }
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "live", "trading" -> SymbolState.TRADING;
            case "cancel_only", "cancelonly" -> SymbolState.CANCEL_ONLY;
            case "suspend", "halted", "halt" -> SymbolState.HALTED;
            default -> null;
        };
    }

    /**
     * Sets the trading state of {@code instId} on the shard that owns it. The audit row is written first
     * (a failed audit refuses the change); the outcome is what the owning shard committed.
     */
    public CommandOutcome setSymbolState(String instId, SymbolState state, String reason, String actor, String requestId)
            throws SQLException {
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            audit.append(c, new AuditRecord(actor, "symbol.state", "symbol/" + instId, null,
                    "{\"state\":\"" + state.okxState() + "\",\"reason\":" + Json.MAPPER.valueToTree(reason) + "}", requestId));
            c.commit();
        }
        CommandOutcome out = routeState(instId, state, reason);
        LOG.warning(() -> "symbol " + instId + " -> " + state + " by " + actor + " [" + requestId + "]: " + out.sCode()
                + " " + out.sMsg() + " (" + reason + ")");
        return out;
    }

    /** The state change on the owning shard; this pod's shard directly, another's over the internal API. */
    public CommandOutcome routeState(String instId, SymbolState state) {
        return routeState(instId, state, "forwarded");
    }

    private CommandOutcome routeState(String instId, SymbolState state, String reason) {
        OptionalInt owner = directory.shardOf(instId);
        if (owner.isEmpty()) {
            return CommandOutcome.rejected(0, "51001", "Instrument ID doesn't exist.", 0, null);
        }
        if (owner.getAsInt() == shard.shardId()) {
            try {
                return shard.submit(ShardCommand.setSymbolState(instId, state)).get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                return CommandOutcome.rejected(0, "50004", PeerResponse.MSG_TIMEOUT, 0, null);
            }
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("instId", instId);
        body.put("state", state.okxState());
        body.put("reason", reason);
        body.put("forwarded", true);
        PeerResponse r = peers.post(owner.getAsInt(), "/symbols/state", body);
        JsonNode d = r.data() == null || r.data().isEmpty() ? null : r.data().get(0);
        if (d == null) {
            return CommandOutcome.rejected(0, r.code(), r.msg(), 0, null);
        }
        return new CommandOutcome(d.path("seq").asLong(0), d.path("sCode").asText(r.code()), d.path("sMsg").asText(""), 0,
                null, null, 0, false);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
