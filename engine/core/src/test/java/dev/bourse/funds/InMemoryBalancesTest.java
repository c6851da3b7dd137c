package dev.bourse.funds;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InMemoryBalancesTest {
    private final InMemoryBalances balances = new InMemoryBalances(2);
    private final PostingSet set = new PostingSet();

    @Test
    void appliesABalancedMoveBetweenBuckets() {
        balances.deposit(7, 1, 100);
        assertTrue(balances.apply(set.begin(PostingKind.HOLD, 0, 1, 0).move(7, 1, Bucket.AVAILABLE, Bucket.HELD, 60)));
        assertEquals(40, balances.available(7, 1));
        assertEquals(60, balances.held(7, 1));
        assertEquals(100, balances.total(1));
    }

    @Test
    void refusesTheWholeSetWhenOneEntryWouldGoNegative() {
        balances.deposit(1, 0, 50);
        balances.deposit(2, 1, 10);
        set.begin(PostingKind.FILL, 0, 1, 1)
                .add(1, Bucket.AVAILABLE, 0, -50)
                .add(2, Bucket.AVAILABLE, 0, 50)
                .add(2, Bucket.AVAILABLE, 1, -11) // one unit short
                .add(1, Bucket.AVAILABLE, 1, 11);
        assertFalse(balances.apply(set));
        assertEquals(50, balances.available(1, 0));
        assertEquals(0, balances.available(2, 0));
        assertEquals(10, balances.available(2, 1));
        assertEquals(0, balances.available(1, 1));
    }

    @Test
    void sumsEntriesThatTouchTheSameBalance() {
        balances.deposit(3, 0, 2);
        // -5 then +3 on the same slot nets -2: exactly what is there
        set.begin(PostingKind.FILL, 0, 1, 1)
                .add(3, Bucket.AVAILABLE, 0, -5)
                .add(3, Bucket.AVAILABLE, 0, 3)
                .add(4, Bucket.AVAILABLE, 0, 2);
        assertTrue(balances.apply(set));
        assertEquals(0, balances.available(3, 0));
        assertEquals(2, balances.available(4, 0));
        // -5 then +2 nets -3: one more than there is
        balances.deposit(5, 0, 2);
        set.begin(PostingKind.FILL, 0, 1, 2)
                .add(5, Bucket.AVAILABLE, 0, -5)
                .add(5, Bucket.AVAILABLE, 0, 2)
                .add(6, Bucket.AVAILABLE, 0, 3);
        assertFalse(balances.apply(set));
        assertEquals(2, balances.available(5, 0));
        assertEquals(0, balances.available(6, 0));
    }

    @Test
    void creditsAccountsItHasNotSeenAndDebitsNoneOfThem() {
        set.begin(PostingKind.FILL, 0, 1, 1).add(9, Bucket.AVAILABLE, 0, -1).add(10, Bucket.AVAILABLE, 0, 1);
        assertFalse(balances.apply(set), "an unknown account has nothing to debit");
        balances.deposit(9, 0, 1);
        set.begin(PostingKind.FILL, 0, 1, 1).add(9, Bucket.AVAILABLE, 0, -1).add(10, Bucket.AVAILABLE, 0, 1)
                .add(11, Bucket.HELD, 1, 0);
        assertTrue(balances.apply(set));
        assertEquals(1, balances.available(10, 0));
        assertEquals(1, balances.total(0));
    }

    @Test
    void smallAndLargeAccountIdsAreKeptApart() {
        long large = 1L << 40;
        balances.deposit(5, 0, 10);
        balances.deposit(large + 5, 0, 20);
        balances.deposit(-7, 1, 30);
        balances.deposit(4_194_303, 1, 40); // last directly indexed id
        balances.deposit(4_194_304, 1, 50); // first hashed id
        assertEquals(10, balances.available(5, 0));
        assertEquals(20, balances.available(large + 5, 0));
        assertEquals(30, balances.available(-7, 1));
        assertEquals(40, balances.available(4_194_303, 1));
        assertEquals(50, balances.available(4_194_304, 1));
        assertEquals(0, balances.available(6, 0));
        assertEquals(30, balances.total(0));
        assertEquals(120, balances.total(1));
        assertTrue(balances.apply(set.begin(PostingKind.HOLD, 0, 1, 0).move(large + 5, 0, Bucket.AVAILABLE, Bucket.HELD, 20)));
        assertEquals(20, balances.held(large + 5, 0));
        assertEquals(0, balances.held(5, 0));
    }

    @Test
    void rejectsNegativeDeposits() {
        assertThrows(IllegalArgumentException.class, () -> balances.deposit(1, 0, -1));
    }

    @Test
    void postingSetBalanceIsPerAsset() {
        set.begin(PostingKind.FILL, 0, 1, 1).add(1, Bucket.AVAILABLE, 0, -5).add(2, Bucket.AVAILABLE, 1, 5);
        assertFalse(set.isBalanced(), "5 of asset 0 out, 5 of asset 1 in: not balanced");
        set.begin(PostingKind.FILL, 0, 1, 1).add(1, Bucket.AVAILABLE, 0, -5).add(2, Bucket.AVAILABLE, 0, 4)
                .add(0, Bucket.AVAILABLE, 0, 1);
        assertTrue(set.isBalanced());
        assertEquals(3, set.size());
        set.add(3, Bucket.HELD, 1, 0);
        assertEquals(3, set.size(), "zero entries are skipped");
    }
}
