package dev.bourse.server.listing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bourse.asset.Asset;
import dev.bourse.fixed.Decimals;
import dev.bourse.instrument.Instrument;
import dev.bourse.instrument.SymbolState;
import dev.bourse.server.admin.AdminReplies;
import dev.bourse.server.admin.AuditLog;
import dev.bourse.server.admin.AuditRecord;
import dev.bourse.server.http.Json;
import dev.bourse.server.routing.PeerClient;
import dev.bourse.server.routing.PeerResponse;
import dev.bourse.server.shard.Shard;
import dev.bourse.server.shard.SymbolChangeRefused;
import dev.bourse.server.store.Database;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Instruments listed, changed and moved while the exchange runs (docs/control-plane.md, "Instruments and
 * symbol moves"). Any pod takes a request; the change itself happens on the pod of the shard that owns
 * the instrument (reached over the internal API), whose sequencer writes it between two batches in a
 * transaction fenced by its lease, with its audit row, and applies it in memory right after. So a change
 * the owner refuses (tickSz with resting orders, say) is never stored, and nothing a batch did can be
 * lost or attributed to the wrong shard.
 *
 * <p>A move: the old owner checks the symbol is halted with nothing queued, reassigns it and its live
 * orders under its fence and drops it; then the new owner loads it from the database like at start-up.
 * Every pod polls the instrument board and reloads its catalog and routing when it moves; a shard that
 * finds an instrument it owns but does not hold (its move's coordinator died halfway) loads it then.
 */
public final class InstrumentAdmin implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(InstrumentAdmin.class.getName());
    private static final long WAIT_SECONDS = 30;

    private final Listing listing;
    private final InstrumentStore store;
    private final Shard shard;
    private final PeerClient peers;
    private final AuditLog audit;
    private final MeterRegistry meters;
    private final Runnable refreshRouting;
    private final Map<String, Counter> changes = new HashMap<>();
    private final Counter pollFailures;
    private final ScheduledExecutorService poller;
    private volatile long seenVersion = -1;

    /**
     * @param refreshRouting reloads this pod's instrument catalog, shard directory and market-data instruments
     */
    public InstrumentAdmin(Database db, Shard shard, PeerClient peers, AuditLog audit,
                           MeterRegistry meters, Runnable refreshRouting) {
        this.listing = new Listing(db);
        this.store = new InstrumentStore(db);
        this.shard = shard;
        this.peers = peers;
        this.audit = audit;
        this.meters = meters;
        this.refreshRouting = refreshRouting;
        for (String action : List.of("create", "update", "move")) {
            changes.put(action, Counter.builder("bourse_instrument_changes_total").tag("action", action)
                    .description("Instruments listed (create), given new rules (update) or moved to another shard (move) "
                            + "by this pod's shard").register(meters));
        }
        pollFailures = Counter.builder("bourse_instrument_poll_failures_total")
                .description("Failed reads of the instrument board (routing keeps what it knew)").register(meters);
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "instrument-board-poller");
            t.setDaemon(true);
            return t;
        });
    }

    /** Polls the instrument board every {@code pollMillis} (after the shard recovered). */
    public void start(long pollMillis) {
        try {
            seenVersion = store.boardVersion();
        } catch (SQLException e) {
            LOG.warning("cannot read the instrument board yet: " + e.getMessage());
        }
        poller.scheduleWithFixedDelay(this::poll, pollMillis, pollMillis, TimeUnit.MILLISECONDS);
    }

    private void poll() {
        try {
            long v = store.boardVersion();
            if (v == seenVersion) {
                return;
            }
            refreshRouting.run();
            for (InstrumentStore.Row row : store.all()) {
                if (row.shard() == shard.shardId() && !shard.symbols().contains(row.instId())) {
                    // moved here, and the move's coordinator has not (yet) told this shard: load it (idempotent)
                    await(shard.loadSymbol(row.instId()));
                }
            }
            seenVersion = v;
        } catch (SQLException | RuntimeException e) {
            pollFailures.increment();
            LOG.log(Level.WARNING, "instrument board poll failed: " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------ reads

    public List<ObjectNode> list() throws SQLException {
        List<ObjectNode> out = new ArrayList<>();
        Set<String> here = shard.symbols();
        for (InstrumentStore.Row r : store.all()) {
            out.add(view(r, here));
        }
        return out;
    }

    public ObjectNode get(String instId) throws SQLException {
        InstrumentRequest.checkInstId(instId);
        InstrumentStore.Row r = store.find(instId).orElseThrow(() -> unknown(instId));
        return view(r, shard.symbols());
    }

    private ObjectNode view(InstrumentStore.Row r, Set<String> here) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("instId", r.instId());
        n.put("instIdCode", r.instIdCode());
        n.put("shard", r.shard());
        n.put("generation", r.generation());
        n.put("state", r.state().okxState());
        n.put("loaded", r.shard() == shard.shardId() && here.contains(r.instId()));
        n.set("spec", InstrumentRequest.specJson(r.spec(), r.baseScale(), r.quoteScale()));
        return n;
    }

    // ------------------------------------------------------------------ list or change

    /**
     * {@code PUT /instruments/{instId}} on any pod: checks the request, then has the owning shard's pod
     * apply it (this pod's shard directly).
     */
    public ObjectNode put(String instId, ObjectNode body, String actor, String requestId) throws SQLException {
        InstrumentRequest req = InstrumentRequest.parse(instId, body);
        Optional<InstrumentStore.Row> row = store.find(instId);
        if (row.isPresent()) {
            checkOwner(req, row.get());
            checkGeneration(instId, req.generation(), row.get().generation());
        }
        plan(req, row.orElse(null), listing.assets()); // a bad spec is refused here, before any hop
        int owner = row.map(InstrumentStore.Row::shard).orElse(req.shard());
        if (owner == shard.shardId()) {
            return applyHere(req, actor, requestId);
        }
        ObjectNode fwd = Json.MAPPER.createObjectNode();
        fwd.put("actor", actor);
        fwd.put("requestId", requestId);
        fwd.set("request", body);
        JsonNode d = onPeer(owner, "/instruments/" + instId + "/apply", fwd);
        refreshRoutingQuietly();
        return (ObjectNode) d;
    }

    /** The pod-to-pod half of {@link #put}: the request as the caller received it, applied by this pod's shard. */
    public ObjectNode applyForwarded(String instId, ObjectNode fwd) throws SQLException {
        String actor = fwd.path("actor").asText("internal");
        String requestId = fwd.path("requestId").asText("");
        return applyHere(InstrumentRequest.parse(instId, fwd.get("request")), actor, requestId);
    }

    /** A listing or rule change, written and applied by this pod's shard (which must own the instrument). */
    private ObjectNode applyHere(InstrumentRequest req, String actor, String requestId) throws SQLException {
        String instId = req.instId();
        int me = shard.shardId();
        Optional<InstrumentStore.Row> row = store.find(instId);
        if (row.isPresent() && row.get().shard() != me) {
            throw new SymbolChangeRefused("50001", instId + " is on shard " + row.get().shard() + ", not shard " + me
                    + " (it moved meanwhile); send the change again");
        }
        if (row.isEmpty() && req.shard() != me) {
            throw new SymbolChangeRefused("51000", "shard " + req.shard() + " is not this pod's shard (" + me + ")");
        }
        Plan plan = plan(req, row.orElse(null), listing.assets());
        String[] outcome = {"unchanged"};
        long[] generation = {req.generation()};
        Shard.Applied applied = await(shard.putInstrument(plan.instrument, (c, here) -> {
            store.lockBoard(c);
            Optional<InstrumentStore.Row> locked = store.find(c, instId);
            if (locked.isEmpty()) {
                if (row.isPresent()) {
                    throw concurrent(instId);
                }
                for (Asset a : plan.newAssets) {
                    if (store.asset(c, a.code()).isPresent()) {
                        throw concurrent(a.code());
                    }
                    store.insertAsset(c, a);
                }
                store.insert(c, plan.spec, plan.base, plan.quote, me, req.generation(), req.initialState());
                store.bumpBoard(c);
                audit.append(c, new AuditRecord(actor, "instrument.create", "instrument/" + instId, null,
                        stored(plan.spec, me, req.generation(), req.initialState()), requestId));
                outcome[0] = "created";
                return true;
            }
            InstrumentStore.Row cur = locked.get();
            if (cur.shard() != me) {
                throw new SymbolChangeRefused("50001", instId + " moved to shard " + cur.shard() + " meanwhile; send the change again");
            }
            checkGeneration(instId, req.generation(), cur.generation());
            if (!cur.spec().equals(row.get().spec())) {
                throw concurrent(instId);
            }
            long gen = Math.max(req.generation(), cur.generation());
            generation[0] = gen;
            if (cur.spec().withPriceScale(plan.spec.effectivePriceScale()).equals(plan.spec)) {
                if (gen != cur.generation()) {
                    store.setGeneration(c, instId, gen); // level-triggered: the same rules at a newer generation
                }
                return false;
            }
            if (here.replaceRefusal() != null) {
                throw new SymbolChangeRefused("51000", here.replaceRefusal());
            }
            store.update(c, plan.spec, gen);
            store.bumpBoard(c);
            audit.append(c, new AuditRecord(actor, "instrument.update", "instrument/" + instId,
                    stored(cur.spec(), me, cur.generation(), null), stored(plan.spec, me, gen, null), requestId));
            outcome[0] = "updated";
            return true;
        }));
        if (applied.applied()) {
            String action = "created".equals(outcome[0]) ? "create" : "update";
            changes.get(action).increment();
            AdminReplies.count(meters, "instrument." + action);
            refreshRoutingQuietly();
            LOG.warning(() -> "instrument " + instId + " " + outcome[0] + " on shard " + me + " by " + actor + " [" + requestId
                    + "] after sequence " + applied.afterSeq() + ": " + stored(plan.spec, me, generation[0], null));
        }
        ObjectNode d = Json.MAPPER.createObjectNode();
        d.put("instId", instId);
        d.put("shard", me);
        d.put("generation", generation[0]);
        d.put("outcome", outcome[0]);
        d.put("appliedAfterSeq", applied.afterSeq());
        d.put("state", applied.state().okxState());
        d.put("restingOrders", applied.restingOrders());
        d.put("loaded", true);
        return d;
    }

    /** What a request comes to: the definition to store, the core's instrument, and any assets to list with it. */
    private record Plan(InstrumentSpec spec, Instrument instrument, Asset base, Asset quote, List<Asset> newAssets) {
    }

    private static Plan plan(InstrumentRequest req, InstrumentStore.Row row, Map<String, Asset> listed) {
        Map<String, Asset> assets = new LinkedHashMap<>(listed);
        List<Asset> fresh = new ArrayList<>();
        int nextId = listed.values().stream().mapToInt(Asset::id).max().orElse(-1) + 1;
        for (String[] ccy : new String[][] {{req.baseCcy(), "baseScale"}, {req.quoteCcy(), "quoteScale"}}) {
            Integer scale = "baseScale".equals(ccy[1]) ? req.baseScale() : req.quoteScale();
            Asset have = assets.get(ccy[0]);
            if (have == null) {
                if (scale == null) {
                    throw new SymbolChangeRefused("50014", "Parameter spec." + ccy[1] + " can not be empty: " + ccy[0]
                            + " is not listed yet, and listing it needs its scale (decimals)");
                }
                Asset a = new Asset(nextId++, ccy[0], scale);
                assets.put(a.code(), a);
                fresh.add(a);
            } else if (scale != null && scale != have.scale()) {
                throw new SymbolChangeRefused("51000", "Parameter spec." + ccy[1] + " error: " + ccy[0] + " is listed with scale "
                        + have.scale() + ", not " + scale);
            }
        }
        int priceScale = row != null ? row.spec().effectivePriceScale() : Decimals.scaleOf(req.tickSz());
        InstrumentSpec spec = req.spec(row == null ? null : row.spec(), priceScale);
        try {
            Instrument ins = spec.toInstrument(assets, row == null ? req.initialState() : row.state());
            return new Plan(spec, ins, assets.get(req.baseCcy()), assets.get(req.quoteCcy()), fresh);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new SymbolChangeRefused("51000", "Parameter spec error: " + e.getMessage());
        }
    }

    private static void checkOwner(InstrumentRequest req, InstrumentStore.Row row) {
        if (req.shard() != row.shard()) {
            throw new SymbolChangeRefused("51000", req.instId() + " is on shard " + row.shard() + ", not " + req.shard()
                    + "; move it with POST /internal/v1/instruments/" + req.instId() + "/move {\"toShard\":" + req.shard() + "}");
        }
    }

    private static void checkGeneration(String instId, long asked, long stored) {
        if (asked > 0 && asked < stored) {
            throw new SymbolChangeRefused("51000", "Parameter generation error: " + instId + " is at generation " + stored
                    + ", refusing older generation " + asked);
        }
    }

    // ------------------------------------------------------------------ move

    /** {@code POST /instruments/{instId}/move {"toShard", "generation"}} on any pod. */
    public ObjectNode move(String instId, ObjectNode body, String actor, String requestId) throws SQLException {
        InstrumentRequest.checkInstId(instId);
        if (body == null) {
            throw new SymbolChangeRefused("50000", "Body for POST request cannot be empty.");
        }
        InstrumentRequest.known(body, Set.of("toShard", "generation"), "");
        Long to = InstrumentRequest.whole(body, "toShard", "", 0, 1023);
        if (to == null) {
            throw new SymbolChangeRefused("50014", "Parameter toShard can not be empty.");
        }
        long generation = InstrumentRequest.generation(body);
        int toShard = to.intValue();
        InstrumentStore.Row row = store.find(instId).orElseThrow(() -> unknown(instId));
        checkGeneration(instId, generation, row.generation());
        int from = row.shard();
        ObjectNode d = Json.MAPPER.createObjectNode();
        d.put("instId", instId);
        d.put("fromShard", from);
        d.put("toShard", toShard);
        if (from == toShard) { // level-triggered: done already; make sure the owner holds it
            d.put("outcome", "unchanged");
            int resting = loadOn(toShard, instId);
            d.put("restingOrders", resting);
            d.put("loaded", true);
            return d;
        }
        checkReady(toShard);
        ObjectNode release = Json.MAPPER.createObjectNode();
        release.put("toShard", toShard);
        release.put("generation", generation);
        release.put("actor", actor);
        release.put("requestId", requestId);
        int resting = from == shard.shardId() ? releaseHere(instId, release)
                : onPeer(from, "/instruments/" + instId + "/release", release).path("restingOrders").asInt();
        refreshRoutingQuietly();
        boolean loaded;
        try {
            loadOn(toShard, instId);
            loaded = true;
        } catch (SymbolChangeRefused e) { // it loads it when it sees the instrument board move
            LOG.warning("moved " + instId + " to shard " + toShard + " but could not have it loaded now: " + e.getMessage());
            loaded = false;
        }
        d.put("outcome", "moved");
        d.put("restingOrders", resting);
        d.put("loaded", loaded);
        return d;
    }

    /** The old owner's half of a move (this pod's shard owns {@code instId}); returns its resting orders. */
    public int releaseHere(String instId, ObjectNode release) throws SQLException {
        InstrumentRequest.checkInstId(instId);
        int to = release.path("toShard").asInt(-1);
        long generation = release.path("generation").asLong(0);
        String actor = release.path("actor").asText("internal");
        String requestId = release.path("requestId").asText("");
        int me = shard.shardId();
        if (to < 0 || to == me) {
            throw new SymbolChangeRefused("51000", "Parameter toShard error");
        }
        int resting = await(shard.releaseSymbol(instId, (c, here) -> {
            store.lockBoard(c);
            InstrumentStore.Row cur = store.find(c, instId).orElseThrow(() -> unknown(instId));
            if (cur.shard() != me) {
                throw new SymbolChangeRefused("50001", instId + " is on shard " + cur.shard() + " now; try again");
            }
            checkGeneration(instId, generation, cur.generation());
            long toLastSeq = store.lastSeq(c, to).orElseThrow(() -> new SymbolChangeRefused("51000",
                    "shard " + to + " has never run (no lease): start its pod first"));
            int stored = store.liveOrders(c, instId, me);
            if (stored != here.restingOrders()) { // memory and database must agree before the book changes hands
                throw new SymbolChangeRefused("50001", "shard " + me + " holds " + here.restingOrders() + " orders of " + instId
                        + " but the database " + stored + "; try again");
            }
            int moved = store.move(c, instId, me, to, toLastSeq, Math.max(generation, cur.generation()));
            store.bumpBoard(c);
            audit.append(c, new AuditRecord(actor, "instrument.move", "instrument/" + instId,
                    "{\"shard\":" + me + "}", "{\"shard\":" + to + ",\"restingOrders\":" + moved + "}", requestId));
            return true;
        }));
        changes.get("move").increment();
        AdminReplies.count(meters, "instrument.move");
        refreshRoutingQuietly();
        LOG.warning(() -> "instrument " + instId + " moved from shard " + me + " to " + to + " by " + actor + " [" + requestId
                + "] with " + resting + " resting orders");
        return resting;
    }

    /** The new owner's half: loads the instrument (idempotent); returns its resting orders. */
    public int loadHere(String instId) {
        InstrumentRequest.checkInstId(instId);
        int n = await(shard.loadSymbol(instId));
        refreshRoutingQuietly();
        return n;
    }

    private int loadOn(int shardId, String instId) {
        if (shardId == shard.shardId()) {
            return loadHere(instId);
        }
        return onPeer(shardId, "/instruments/" + instId + "/load", Json.MAPPER.createObjectNode()).path("restingOrders").asInt();
    }

    /** The target of a move must be up: its pod answers for that shard and has recovered it. */
    private void checkReady(int shardId) {
        boolean ready;
        if (shardId == shard.shardId()) {
            ready = shard.ready();
        } else {
            PeerResponse r = peers.get(shardId, "/status");
            JsonNode d = r.ok() && !r.data().isEmpty() ? r.data().get(0) : null;
            ready = d != null && d.path("shardId").asInt(-1) == shardId && d.path("ready").asBoolean(false);
        }
        if (!ready) {
            throw new SymbolChangeRefused("50001", "shard " + shardId + " is not ready (its pod does not answer or is still "
                    + "recovering); try again");
        }
    }

    // ------------------------------------------------------------------ helpers

    private JsonNode onPeer(int shardId, String path, ObjectNode body) {
        PeerResponse r = peers.post(shardId, path, body);
        if (r.ok()) {
            return r.data().isEmpty() ? Json.MAPPER.createObjectNode() : r.data().get(0);
        }
        if (r.outcome() == PeerResponse.Outcome.UNAVAILABLE) {
            throw new SymbolChangeRefused(r.code(), "the pod of shard " + shardId + " cannot be reached; try again");
        }
        if (r.outcome() == PeerResponse.Outcome.TIMEOUT) {
            throw new SymbolChangeRefused(r.code(), "no answer from the pod of shard " + shardId
                    + ": the change may or may not have been made; read the instrument back before retrying");
        }
        throw new SymbolChangeRefused(r.code(), r.msg());
    }

    private <T> T await(CompletableFuture<T> f) {
        try {
            return f.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new SymbolChangeRefused("50004", "no answer from shard " + shard.shardId() + " within " + WAIT_SECONDS
                    + " s: the change may or may not have been made; read the instrument back before retrying");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SymbolChangeRefused("50004", "interrupted while shard " + shard.shardId() + " worked on the change");
        }
    }

    private void refreshRoutingQuietly() {
        try {
            refreshRouting.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not reload the instrument catalog and routing: " + e.getMessage(), e);
        }
    }

    private static SymbolChangeRefused unknown(String instId) {
        return new SymbolChangeRefused("51001", "Instrument ID doesn't exist: " + instId);
    }

    private static SymbolChangeRefused concurrent(String what) {
        return new SymbolChangeRefused("50001", what + " was changed concurrently; send the change again");
    }

    /** The stored definition as audit JSON. */
    private static String stored(InstrumentSpec s, int shardId, long generation, SymbolState state) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("shard", shardId);
        n.put("generation", generation);
        if (state != null) {
            n.put("state", state.okxState());
        }
        n.set("spec", InstrumentRequest.specJson(s, -1, -1).without(List.of("baseScale", "quoteScale")));
        return n.toString();
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
