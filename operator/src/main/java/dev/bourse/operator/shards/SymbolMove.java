package dev.bourse.operator.shards;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bourse.operator.engine.EngineException;
import dev.bourse.operator.engine.EngineRefusedException;
import dev.bourse.operator.engine.EngineStatus;
import dev.bourse.operator.model.SymbolState;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Moving a symbol between shards safely, one level-triggered step at a time:
 * <ol>
 *   <li><b>Halting</b>: the owner sets the symbol to {@code suspend} (no command for it is sequenced any more);</li>
 *   <li><b>Draining</b>: wait until the owner reports nothing queued and no batch being written;</li>
 *   <li><b>Reassigning</b>: {@code POST /instruments/{instId}/move}: the old owner unloads it, the row changes owner
 *   under its fence, the new owner rebuilds the book from the database;</li>
 *   <li><b>Recovering</b>: wait until the new owner is recovered and has the symbol loaded;</li>
 *   <li><b>Resuming</b>: restore the desired state (the engine keeps a moved symbol suspended).</li>
 * </ol>
 * {@link #advance} runs as many steps as it can without waiting and returns where it stopped. A step the engine
 * refuses leaves the symbol halted and the move at a step that is safe to try again; the caller reports the
 * failure as a condition and an Event and retries later.
 */
public final class SymbolMove {
    /** The move's steps, in order; {@code status.movePhase} holds the name. */
    public enum Phase { Halting, Draining, Reassigning, Recovering, Resuming }

    static final Duration WAIT = Duration.ofMillis(300);
    static final Duration RETRY = Duration.ofSeconds(5);

    /** What a move asks of the engines. */
    public interface Engines {
        /** The symbol's state as its owner reports it, if the owner can be asked. */
        Optional<SymbolState> state(String instId);

        /** {@code POST /symbols/state} (routed to the owner). */
        void setState(String instId, SymbolState state, String reason);

        /** The status of shard {@code shard}'s pod, if it exists and answers. */
        Optional<EngineStatus> status(int shard);

        /** {@code POST /instruments/{instId}/move}: {@code data[0]} of the answer. */
        JsonNode move(String instId, int toShard, long generation);
    }

    /** One Event to record on the resource. */
    public record Note(boolean warning, String reason, String message) {
    }

    /**
     * Where the move stands after {@link #advance}.
     *
     * @param phase   null when the move is finished
     * @param failed  the last step was refused or could not be done (the symbol stays halted)
     * @param message what the move waits for, or why it failed
     * @param requeue when to look again (null when finished)
     */
    public record Step(Phase phase, boolean failed, String message, Duration requeue, List<Note> notes) {
        public boolean finished() {
            return phase == null;
        }
    }

    private SymbolMove() {
    }

    /**
     * @param phase   where the move stands (null: it starts now)
     * @param owner   the shard that owns the symbol now, as the engines' instrument row says
     * @param target  where it goes
     * @param desired the state to restore at the end
     */
    public static Step advance(String instId, Phase phase, int owner, int target, SymbolState desired, long generation,
                               Engines engines) {
        List<Note> notes = new ArrayList<>();
        Phase p = phase;
        if (p == null) {
            p = Phase.Halting;
            notes.add(new Note(false, "MoveStarted", "moving " + instId + " from shard " + owner + " to shard " + target
                    + ": halting it first"));
        }
        // the engines already moved it (or the target changed back to the owner): only recovery and resume remain
        if (owner == target && p.ordinal() < Phase.Recovering.ordinal()) {
            p = Phase.Recovering;
        }
        try {
            while (true) {
                switch (p) {
                    case Halting -> {
                        if (engines.state(instId).orElse(null) != SymbolState.Halted) {
                            engines.setState(instId, SymbolState.Halted, "moving to shard " + target);
                        }
                        p = Phase.Draining;
                    }
                    case Draining -> {
                        Optional<EngineStatus> s = engines.status(owner);
                        if (s.isPresent() && !s.get().idle()) {
                            return new Step(p, false, "waiting for shard " + owner + " to empty its queue (" + s.get()
                                    .queueLength() + " queued, " + s.get().batchesInFlight() + " batch in flight)", WAIT,
                                    notes);
                        }
                        if (s.isEmpty() && engines.status(target).isEmpty()) {
                            return new Step(p, false, "waiting for shard " + owner + " or " + target + " to answer",
                                    WAIT, notes);
                        }
                        // an owner that is gone has nothing queued; the engine checks the same again before moving
                        p = Phase.Reassigning;
                    }
                    case Reassigning -> {
                        JsonNode r = engines.move(instId, target, generation);
                        notes.add(new Note(false, "Reassigned", instId + " " + r.path("outcome").asText("moved")
                                + " from shard " + owner + " to shard " + target + " with "
                                + r.path("restingOrders").asLong() + " resting orders"));
                        owner = target;
                        p = Phase.Recovering;
                    }
                    case Recovering -> {
                        Optional<EngineStatus> s = engines.status(target);
                        if (s.isEmpty() || !s.get().serving() || !s.get().hasLoaded(instId)) {
                            return new Step(p, false, "waiting for shard " + target + " to be recovered with " + instId
                                    + " loaded", WAIT, notes);
                        }
                        p = Phase.Resuming;
                    }
                    case Resuming -> {
                        if (desired != SymbolState.Halted && engines.state(instId).orElse(null) != desired) {
                            engines.setState(instId, desired, "moved to shard " + target);
                        }
                        notes.add(new Note(false, "Moved", instId + " runs on shard " + target + ", state "
                                + desired));
                        return new Step(null, false, "moved to shard " + target, null, notes);
                    }
                    default -> throw new IllegalStateException(p.toString());
                }
            }
        } catch (EngineRefusedException e) {
            String why = "step " + p + " refused by the engine: " + e.engineMessage() + " (code " + e.code()
                    + "); the symbol stays halted";
            notes.add(new Note(true, "MoveFailed", instId + " " + why));
            // a refused move is tried again from Draining: the usual cause is something still queued
            Phase retry = p == Phase.Reassigning ? Phase.Draining : p;
            return new Step(retry, true, why, RETRY, notes);
        } catch (EngineException e) {
            // a pod that cannot be reached is waited for, not a failure of the move
            return new Step(p, false, "step " + p + ": " + e.getMessage(), RETRY, notes);
        }
    }
}
