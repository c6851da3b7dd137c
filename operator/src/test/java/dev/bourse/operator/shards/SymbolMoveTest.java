package dev.bourse.operator.shards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.bourse.operator.engine.EngineException;
import dev.bourse.operator.engine.EngineRefusedException;
import dev.bourse.operator.engine.EngineStatus;
import dev.bourse.operator.model.SymbolState;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The move's steps against a fake pair of engines that behaves like the instrument API's contract. */
class SymbolMoveTest {
    /** Two shards; the symbol starts on shard 0, live. */
    static class FakeEngines implements SymbolMove.Engines {
        int owner = 0;
        SymbolState state = SymbolState.Trading;
        final Map<Integer, Integer> queue = new HashMap<>(Map.of(0, 0, 1, 0));
        final Map<Integer, Boolean> loaded = new HashMap<>(Map.of(0, true, 1, false));
        final Map<Integer, Boolean> up = new HashMap<>(Map.of(0, true, 1, true));
        final List<String> calls = new ArrayList<>();
        String refuseMove;

        @Override
        public Optional<SymbolState> state(String instId) {
            return Optional.of(state);
        }

        @Override
        public void setState(String instId, SymbolState s, String reason) {
            calls.add("state " + s);
            state = s;
        }

        @Override
        public Optional<EngineStatus> status(int shard) {
            if (!up.get(shard)) {
                return Optional.empty();
            }
            return Optional.of(new EngineStatus(shard, 1, true, true, false, queue.get(shard), 0, 1, 1, 1, 1, false, false,
                    List.of(), loaded.get(shard) ? List.of("SOL-USDT") : List.of(), Map.of()));
        }

        @Override
        public JsonNode move(String instId, int toShard, long generation) {
            calls.add("move " + toShard + " gen " + generation);
            if (refuseMove != null) {
                throw new EngineRefusedException("pod", 200, "51000", refuseMove, null);
            }
            if (state != SymbolState.Halted || queue.get(owner) > 0) {
                throw new EngineRefusedException("pod", 200, "51000", "not halted or still queued", null);
            }
            loaded.put(owner, false);
            owner = toShard;
            return JsonNodeFactory.instance.objectNode().put("outcome", "moved").put("restingOrders", 3);
        }
    }

    @Test
    void anIdleShardMovesInOneGoAndTheDesiredStateComesBack() {
        FakeEngines e = new FakeEngines();
        e.loaded.put(1, true); // the new owner loads at once
        SymbolMove.Step s = SymbolMove.advance("SOL-USDT", null, 0, 1, SymbolState.Trading, 8, e);
        assertTrue(s.finished(), s.toString());
        assertEquals(List.of("state Halted", "move 1 gen 8", "state Trading"), e.calls);
        assertEquals(List.of("MoveStarted", "Reassigned", "Moved"), s.notes().stream().map(SymbolMove.Note::reason).toList());
        assertTrue(s.notes().get(1).message().contains("3 resting orders"));
        assertNull(s.requeue());
    }

    @Test
    void itWaitsForTheQueueThenForTheNewOwnerAndResumesAcrossReconciles() {
        FakeEngines e = new FakeEngines();
        e.queue.put(0, 4);
        SymbolMove.Step s = SymbolMove.advance("SOL-USDT", null, 0, 1, SymbolState.CancelOnly, 8, e);
        assertEquals(SymbolMove.Phase.Draining, s.phase());
        assertFalse(s.failed());
        assertTrue(s.message().contains("4 queued"), s.message());
        assertEquals(SymbolState.Halted, e.state, "halted before waiting");

        e.queue.put(0, 0);
        s = SymbolMove.advance("SOL-USDT", s.phase(), 0, 1, SymbolState.CancelOnly, 8, e);
        assertEquals(SymbolMove.Phase.Recovering, s.phase(), "moved, the new owner has not loaded it yet");
        assertEquals(1, e.owner);

        e.loaded.put(1, true);
        s = SymbolMove.advance("SOL-USDT", s.phase(), e.owner, 1, SymbolState.CancelOnly, 8, e);
        assertTrue(s.finished());
        assertEquals(SymbolState.CancelOnly, e.state);
        assertEquals(1, e.calls.stream().filter(c -> c.startsWith("move")).count(), "moved once");
    }

    @Test
    void aRefusedMoveLeavesTheSymbolHaltedAndIsRetriedFromDraining() {
        FakeEngines e = new FakeEngines();
        e.refuseMove = "2 commands for SOL-USDT are queued";
        SymbolMove.Step s = SymbolMove.advance("SOL-USDT", null, 0, 1, SymbolState.Trading, 8, e);
        assertTrue(s.failed());
        assertEquals(SymbolMove.Phase.Draining, s.phase());
        assertTrue(s.message().contains("2 commands for SOL-USDT are queued") && s.message().contains("stays halted"),
                s.message());
        assertEquals(SymbolState.Halted, e.state);
        assertTrue(s.notes().stream().anyMatch(n -> n.warning() && n.reason().equals("MoveFailed")));

        e.refuseMove = null;
        e.loaded.put(1, true);
        s = SymbolMove.advance("SOL-USDT", s.phase(), 0, 1, SymbolState.Trading, 8, e);
        assertTrue(s.finished());
        assertEquals(SymbolState.Trading, e.state);
    }

    @Test
    void anUnreachablePodIsWaitedForNotAFailure() {
        FakeEngines e = new FakeEngines() {
            @Override
            public void setState(String instId, SymbolState s, String reason) {
                throw new EngineException("bourse-engine-0", "connection refused", null);
            }
        };
        SymbolMove.Step s = SymbolMove.advance("SOL-USDT", null, 0, 1, SymbolState.Trading, 8, e);
        assertEquals(SymbolMove.Phase.Halting, s.phase());
        assertFalse(s.failed());
        assertTrue(s.message().contains("connection refused"));
    }

    @Test
    void aTargetThatIsTheOwnerAgainOnlyResumes() {
        FakeEngines e = new FakeEngines();
        e.state = SymbolState.Halted;
        SymbolMove.Step s = SymbolMove.advance("SOL-USDT", SymbolMove.Phase.Draining, 0, 0, SymbolState.Trading, 9, e);
        assertTrue(s.finished());
        assertEquals(List.of("state Trading"), e.calls, "no move when the pin went back to the owner");
    }
}
