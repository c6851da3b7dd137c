package dev.bourse.server.shard;

import dev.bourse.funds.Bucket;
import dev.bourse.funds.PostingKind;
import dev.bourse.funds.PostingSet;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShardBalancesTest {

    @Test
    void aHoldBeyondTheAvailableBalanceChangesNothing() {
        ShardBalances b = new ShardBalances(2);
        b.setAvailable(10_000, 1, 100);
        PostingSet tooMuch = new PostingSet().begin(PostingKind.HOLD, 0, 1, 0).move(10_000, 1, Bucket.AVAILABLE, Bucket.HELD, 101);
        assertFalse(b.apply(tooMuch));
        assertEquals(100, b.available(10_000, 1));
        assertEquals(0, b.held(10_000, 1));
        PostingSet fits = new PostingSet().begin(PostingKind.HOLD, 0, 1, 0).move(10_000, 1, Bucket.AVAILABLE, Bucket.HELD, 100);
        assertTrue(b.apply(fits));
        assertEquals(0, b.available(10_000, 1));
        assertEquals(100, b.held(10_000, 1));
    }

    @Test
    void aRefreshReplacesAvailableButKeepsTheShardsOwnHolds() {
        ShardBalances b = new ShardBalances(1);
        b.setAvailable(7, 0, 50);
        b.addHeld(7, 0, 30);
        b.setAvailable(7, 0, 10); // another shard spent 40 meanwhile
        assertEquals(10, b.available(7, 0));
        assertEquals(30, b.held(7, 0));
        // a set that debits and credits the same bucket is judged on its net effect
        PostingSet p = new PostingSet().begin(PostingKind.FILL, 0, 1, 1)
                .add(7, Bucket.HELD, 0, -30).add(8, Bucket.AVAILABLE, 0, 30);
        assertTrue(b.apply(p));
        assertEquals(0, b.held(7, 0));
        assertEquals(30, b.available(8, 0));
    }

    @Test
    void anAssetListedWhileTheShardRunsWidensTheRows() {
        ShardBalances b = new ShardBalances(2);
        b.setAvailable(7, 1, 40);
        b.setAvailable(7, 4, 25); // asset 4 was listed after the shard loaded
        b.addHeld(8, 3, 5);
        assertEquals(40, b.available(7, 1));
        assertEquals(25, b.available(7, 4));
        assertEquals(0, b.available(9, 6), "unknown account or asset: nothing");
        assertEquals(0, b.held(7, 3));
        PostingSet p = new PostingSet().begin(PostingKind.HOLD, 0, 1, 0).move(7, 4, Bucket.AVAILABLE, Bucket.HELD, 25);
        assertTrue(b.apply(p));
        assertEquals(25, b.held(7, 4));
        assertFalse(b.apply(new PostingSet().begin(PostingKind.HOLD, 0, 2, 0).move(9, 5, Bucket.AVAILABLE, Bucket.HELD, 1)));
    }
}
