package dev.bourse.server.events;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventCodecTest {
    private final EventCodec codec = new EventCodec();

    @Test
    void randomBatchesRoundTripExactly() {
        long seed = Long.getLong("bourse.test.seed", System.nanoTime());
        System.out.println("EventCodecTest seed: " + seed + " (rerun with -Dbourse.test.seed=" + seed + ")");
        RandomBatches random = new RandomBatches(seed);
        for (int i = 0; i < 2_000; i++) {
            BatchEvents batch = random.batch(i % 7, 1 + i * 100L, i % 40);
            byte[] json = codec.encode(batch);
            assertEquals(batch, codec.decode(json), "seed " + seed + ", batch " + i + ": " + new String(json, StandardCharsets.UTF_8));
        }
    }

    @Test
    void everyVariantIsWrittenWithItsTypeAndEnumsByName() {
        RandomBatches random = new RandomBatches(42);
        BatchEvents batch = random.batch(3, 10, 200);
        String json = new String(codec.encode(batch), StandardCharsets.UTF_8);
        for (String type : List.of("order", "trade", "level", "state", "balance")) {
            assertTrue(json.contains("\"t\":\"" + type + "\""), type + " missing in " + json);
        }
        assertTrue(json.startsWith("{\"shard\":3,\"first\":10,"), json);
        assertTrue(json.contains("\"side\":\"BUY\"") || json.contains("\"side\":\"SELL\""), json);
        assertTrue(!json.contains("\n") && !json.contains(": "), "compact JSON");
    }

    @Test
    void anythingElseIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> codec.decode("not json".getBytes(StandardCharsets.UTF_8)));
        assertThrows(IllegalArgumentException.class, () -> codec.decode("[1]".getBytes(StandardCharsets.UTF_8)));
        assertThrows(IllegalArgumentException.class, () -> codec.decode(new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> codec.decode(
                "{\"shard\":0,\"first\":1,\"last\":1,\"events\":[{\"t\":\"balance\",\"accountId\":1.5,\"assetId\":0,\"availableDelta\":0,\"heldDelta\":0}]}"
                        .getBytes(StandardCharsets.UTF_8)));
        assertThrows(IllegalArgumentException.class, () -> codec.decode(
                "{\"shard\":0,\"first\":1,\"last\":1,\"events\":[{\"t\":\"level\",\"seq\":1,\"instId\":\"X\",\"side\":\"UP\",\"px\":1,\"sz\":1,\"orderCount\":1,\"bookSeqId\":1}]}"
                        .getBytes(StandardCharsets.UTF_8)));
        assertThrows(IllegalArgumentException.class, () -> codec.decode(
                "{\"shard\":0,\"first\":1,\"last\":1,\"events\":[{\"t\":\"balance\",\"accountId\":99999999999999999999,\"assetId\":0,\"availableDelta\":0,\"heldDelta\":0}]}"
                        .getBytes(StandardCharsets.UTF_8)));
    }
}
