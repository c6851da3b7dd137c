package dev.bourse.server.events;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class InProcessEventBusTest {

    @Test
    void deliversInOrderAndAFailingSubscriberDoesNotStopTheOthers() throws Exception {
        InProcessEventBus bus = new InProcessEventBus();
        List<Long> seen = new ArrayList<>();
        bus.subscribe(b -> {
            throw new IllegalStateException("broken subscriber");
        });
        AutoCloseable handle = bus.subscribe(b -> seen.add(b.firstSeq()));
        for (long s = 1; s <= 5; s++) {
            bus.publish(new BatchEvents(0, s, s, List.of()));
        }
        handle.close();
        bus.publish(new BatchEvents(0, 6, 6, List.of()));
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), seen);
    }

    @Test
    void replaysTheLastBatchesPerShardInCommitOrder() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        InProcessEventBus bus = new InProcessEventBus(10, meters);
        for (long s = 1; s <= 25; s++) {
            bus.publish(new BatchEvents((int) (s % 2), s, s, List.of()));
        }
        List<String> replayed = new ArrayList<>();
        assertEquals(10, bus.replay(b -> replayed.add(b.shardId() + ":" + b.firstSeq())));
        assertEquals(List.of("0:16", "0:18", "0:20", "0:22", "0:24", "1:17", "1:19", "1:21", "1:23", "1:25"), replayed);
        assertEquals(10.0, meters.get("bourse_event_replayed_batches_total").counter().count());
    }
}
