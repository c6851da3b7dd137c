package dev.bourse.server.ratelimit;

import dev.bourse.server.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RateLimitRulesTest {

    @Test
    void defaultsAreOkxs() {
        RateLimitRules r = RateLimitRules.defaults();
        assertEquals("60/2s", r.rule("trade/order").spec());
        assertEquals(RateLimitScope.USER_INST, r.rule("trade/order").scope());
        assertEquals("300/2s", r.rule("trade/batch-orders").spec());
        assertEquals("60/2s", r.rule("trade/cancel-order").spec());
        assertEquals("60/2s", r.rule("trade/amend-order").spec());
        assertEquals("1/1s", r.rule("trade/cancel-all-after").spec());
        assertEquals("60/2s", r.rule("trade/orders-pending").spec());
        assertEquals("10/2s", r.rule("account/balance").spec());
        assertEquals("40/2s", r.rule("market/books").spec());
        assertEquals(RateLimitScope.IP, r.rule("market/tickers").scope());
        assertEquals("1000/2s", r.rule("account").spec());
        assertEquals(RateLimitScope.ACCOUNT, r.rule("account").scope());
    }

    @Test
    void overridesFromTheEnvironment() {
        RateLimitRules r = RateLimitRules.fromEnvironment(Map.of(
                "RATE_LIMITS", "trade/order=10/1s, market/*=5/2s,account=2000/2s,public=7/500ms,trade/fills=3/s")::get);
        assertEquals("10/1s", r.rule("trade/order").spec());
        assertEquals("5/2s", r.rule("market/books").spec());
        assertEquals("5/2s", r.rule("market/trades").spec());
        assertEquals("2000/2s", r.rule("account").spec());
        assertEquals("7/500ms", r.rule("public").spec());
        assertEquals("3/1s", r.rule("trade/fills").spec());
        assertEquals("300/2s", r.rule("trade/batch-orders").spec()); // untouched
        assertEquals("60/2s", RateLimitRules.fromEnvironment(k -> null).rule("trade/order").spec());
    }

    @Test
    void badOverridesAreAllReported() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> RateLimitRules.parse("trade/order=60,nope=1/1s,trade/fills=1/0s"));
        assertEquals(3, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("nope"));
    }

    @Test
    void mapsRequestsToRules() {
        RateLimitRules r = RateLimitRules.defaults();
        assertEquals("trade/order", r.ruleFor("POST", "/api/v5/trade/order"));
        assertEquals(RateLimitRules.ORDER_DETAILS, r.ruleFor("GET", "/api/v5/trade/order?ordId=1&instId=BTC-USDT"));
        assertEquals("market/books", r.ruleFor("GET", "/api/v5/market/books?instId=BTC-USDT&sz=5"));
        assertEquals("public", r.ruleFor("GET", "/api/v5/market/index-tickers"));
        assertEquals("private", r.ruleFor("GET", "/api/v5/account/positions"));
        assertEquals("private", r.ruleFor("GET", "/api/v5/account"));
    }

    @Test
    void tighteningIsValidated() {
        RateLimitRules r = RateLimitRules.defaults();
        assertThrows(IllegalArgumentException.class, () -> r.tighten("BTC-USDT", BigDecimal.ZERO));
        assertThrows(IllegalArgumentException.class, () -> r.tighten("BTC-USDT", new BigDecimal("1.5")));
        assertThrows(IllegalArgumentException.class, () -> r.tightenTo("BTC-USDT", -1));
        assertThrows(IllegalArgumentException.class, () -> r.rule("nope"));
    }
}
