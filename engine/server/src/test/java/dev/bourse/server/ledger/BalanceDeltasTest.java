package dev.bourse.server.ledger;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class BalanceDeltasTest {

    @Test
    void netsPerRowAndYieldsRowsInOneGlobalLockOrder() {
        BalanceDeltas d = new BalanceDeltas();
        d.add(20_000, 1, false, -5);
        d.add(10_001, 2, true, 7);
        d.add(10_001, 0, false, 3);
        d.add(20_000, 1, false, 2);
        d.add(10_001, 2, false, -7);
        List<String> order = new ArrayList<>();
        for (Map.Entry<BalanceDeltas.Key, long[]> e : d.inLockOrder()) {
            order.add(e.getKey().accountId() + "/" + e.getKey().assetId());
        }
        assertEquals(List.of("10001/0", "10001/2", "20000/1"), order);
        long[] last = null;
        for (Map.Entry<BalanceDeltas.Key, long[]> e : d.inLockOrder()) {
            last = e.getValue();
        }
        assertArrayEquals(new long[] {-3, 0}, last);
    }

    @Test
    void overflowIsAnErrorNotAWrap() {
        BalanceDeltas d = new BalanceDeltas();
        d.add(1, 0, false, Long.MAX_VALUE);
        org.junit.jupiter.api.Assertions.assertThrows(ArithmeticException.class, () -> d.add(1, 0, false, 1));
    }
}
