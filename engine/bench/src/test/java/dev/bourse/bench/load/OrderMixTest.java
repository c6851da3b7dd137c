package dev.bourse.bench.load;

import dev.bourse.bench.cli.CliArgs.UsageException;
import dev.bourse.client.rest.trade.OrderType;
import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OrderMixTest {
    private static final Set<OrderType> TAKER = Set.of(OrderType.IOC, OrderType.MARKET, OrderType.FOK, OrderType.LIMIT);

    @Test
    void picksEachTypeInProportionToItsWeight() {
        OrderMix mix = OrderMix.parse("taker-mix", "ioc=40,market=20,fok=10,limit=30", TAKER);
        Map<OrderType, Integer> seen = new EnumMap<>(OrderType.class);
        SplittableRandom r = new SplittableRandom(7);
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            seen.merge(mix.pick(r), 1, Integer::sum);
        }
        assertEquals(0.40, seen.get(OrderType.IOC) / (double) n, 0.01);
        assertEquals(0.20, seen.get(OrderType.MARKET) / (double) n, 0.01);
        assertEquals(0.10, seen.get(OrderType.FOK) / (double) n, 0.01);
        assertEquals(0.30, seen.get(OrderType.LIMIT) / (double) n, 0.01);
        assertEquals(0.4, mix.share(OrderType.IOC), 1e-12);
        assertEquals("limit=30,market=20,ioc=40,fok=10", mix.toString(), "enum order, weights kept");
    }

    @Test
    void aZeroWeightNeverComesUp() {
        OrderMix mix = OrderMix.parse("m", "ioc=0, fok=5", TAKER);
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < 1_000; i++) {
            assertEquals(OrderType.FOK, mix.pick(r));
        }
        assertEquals(0, mix.share(OrderType.IOC));
    }

    @Test
    void refusesWhatItCannotUse() {
        assertTrue(assertThrows(UsageException.class, () -> OrderMix.parse("maker-mix", "ioc=1",
                Set.of(OrderType.POST_ONLY, OrderType.LIMIT))).getMessage().contains("not one of [limit, post_only]"));
        assertThrows(UsageException.class, () -> OrderMix.parse("m", "ioc", TAKER));
        assertThrows(UsageException.class, () -> OrderMix.parse("m", "ioc=x", TAKER));
        assertThrows(UsageException.class, () -> OrderMix.parse("m", "ioc=-1", TAKER));
        assertThrows(UsageException.class, () -> OrderMix.parse("m", "ioc=1,ioc=2", TAKER));
        assertThrows(UsageException.class, () -> OrderMix.parse("m", "ioc=0", TAKER));
    }
}
