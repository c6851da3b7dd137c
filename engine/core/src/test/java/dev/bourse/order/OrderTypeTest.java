package dev.bourse.order;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class OrderTypeTest {

    @Test
    void okxNamesRoundTripAndUnknownOnesAreNull() {
        for (OrderType t : OrderType.values()) {
            assertEquals(t, OrderType.fromOkx(t.okx()));
        }
        assertEquals(OrderType.POST_ONLY, OrderType.fromOkx("post_only"));
        assertNull(OrderType.fromOkx("optimal_limit_ioc"));
        assertNull(OrderType.fromOkx("MARKET"), "OKX names are lower case");
        assertNull(OrderType.fromOkx(null));
    }
}
