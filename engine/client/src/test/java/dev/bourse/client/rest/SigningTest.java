package dev.bourse.client.rest;

import dev.bourse.client.OkxClient;
import dev.bourse.client.auth.ServerClock;
import dev.bourse.client.rest.trade.OrderRequest;
import dev.bourse.client.rest.trade.Side;
import dev.bourse.client.support.MockExchange;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The signature headers as OKX's documentation defines them, on what is actually sent. */
class SigningTest {
    private static final String SECRET = MockExchange.CREDENTIALS.secretKey();
    private static final Instant T = Instant.parse("2020-12-08T09:08:57.715Z");

    /** OKX's recipe, written out here independently of the SDK: Base64(HMAC-SHA256(secret, ts+METHOD+path+body)). */
    private static String recipe(String ts, String method, String requestPath, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return Base64.getEncoder().encodeToString(
                mac.doFinal((ts + method + requestPath + body).getBytes(StandardCharsets.UTF_8)));
    }

    private static OkxClient fixedTimeClient(MockExchange ex) {
        return OkxClient.create(ex.config().clock(new ServerClock(Clock.fixed(T, ZoneOffset.UTC))).build());
    }

    @Test
    void signedGetCarriesTheFourHeadersAndTheFixedVector() throws Exception {
        try (MockExchange ex = new MockExchange(); OkxClient c = fixedTimeClient(ex)) {
            ex.ok("{\"totalEq\":\"\",\"details\":[]}");
            c.account().balance().ccy("BTC").execute();
            RecordedRequest r = ex.take();
            assertEquals("/api/v5/account/balance?ccy=BTC", r.getTarget());
            assertEquals("test-key-1", r.getHeaders().get("OK-ACCESS-KEY"));
            assertEquals("2020-12-08T09:08:57.715Z", r.getHeaders().get("OK-ACCESS-TIMESTAMP"));
            assertEquals("Test-Pass-1", r.getHeaders().get("OK-ACCESS-PASSPHRASE"));
            // computed with: printf '%s' '2020-12-08T09:08:57.715ZGET/api/v5/account/balance?ccy=BTC'
            //   | openssl dgst -sha256 -hmac 22582BD0CFF14C41EDBF1AB98506286D -binary | base64
            assertEquals("HiZhvSfMtWJA3uUIVXV3a/bSXNPCWvYFXoGCVS8V4zY=", r.getHeaders().get("OK-ACCESS-SIGN"));
            assertEquals(recipe("2020-12-08T09:08:57.715Z", "GET", "/api/v5/account/balance?ccy=BTC", ""),
                    r.getHeaders().get("OK-ACCESS-SIGN"));
            assertNull(r.getHeaders().get("x-simulated-trading"));
        }
    }

    @Test
    void signedPostSignsTheExactBodyBytesSent() throws Exception {
        try (MockExchange ex = new MockExchange(); OkxClient c = fixedTimeClient(ex)) {
            ex.ok("{\"ordId\":\"1\",\"clOrdId\":\"\",\"tag\":\"\",\"ts\":\"1\",\"sCode\":\"0\",\"sMsg\":\"\"}");
            c.trade().placeOrder().order(OrderRequest.limit("BTC-USDT", Side.BUY, new BigDecimal("59000"),
                    new BigDecimal("0.01"))).execute();
            RecordedRequest r = ex.take();
            String body = r.getBody().utf8();
            assertEquals("{\"instId\":\"BTC-USDT\",\"tdMode\":\"cash\",\"side\":\"buy\",\"ordType\":\"limit\",\"sz\":\"0.01\","
                    + "\"px\":\"59000\"}", body);
            assertEquals("PKu8YUfpC9s1d+6wE06zKadSk30be/bgRLSOwLm5/P0=", r.getHeaders().get("OK-ACCESS-SIGN"));
            assertEquals(recipe("2020-12-08T09:08:57.715Z", "POST", "/api/v5/trade/order", body),
                    r.getHeaders().get("OK-ACCESS-SIGN"));
            assertTrue(r.getHeaders().get("Content-Type").startsWith("application/json"));
        }
    }

    @Test
    void theSignatureFollowsTheServerClockAndTheQueryAsSent() throws Exception {
        ServerClock clock = new ServerClock();
        clock.setOffsetMillis(-3_600_000); // the server is an hour behind this machine
        try (MockExchange ex = new MockExchange(); OkxClient c = OkxClient.create(ex.config().clock(clock).build())) {
            ex.ok("{\"instId\":\"BTC-USDT\",\"ordId\":\"7\",\"state\":\"live\"}");
            c.trade().order().instId("BTC-USDT").clOrdId("abc123").execute();
            RecordedRequest r = ex.take();
            String ts = r.getHeaders().get("OK-ACCESS-TIMESTAMP");
            long skew = Instant.now().toEpochMilli() - Instant.parse(ts).toEpochMilli();
            assertTrue(Math.abs(skew - 3_600_000) < 5_000, "timestamp follows the offset: " + ts);
            assertEquals("/api/v5/trade/order?instId=BTC-USDT&clOrdId=abc123", r.getTarget());
            assertEquals(recipe(ts, "GET", r.getTarget(), ""), r.getHeaders().get("OK-ACCESS-SIGN"));
        }
    }

    @Test
    void publicRequestsAreNotSignedAndDemoModeSendsItsHeader() throws Exception {
        try (MockExchange ex = new MockExchange();
             OkxClient c = OkxClient.create(ex.config().demoTrading(true).userAgent("drill/1").build())) {
            ex.ok("{\"ts\":\"1597026383085\"}");
            c.publicData().time().execute();
            RecordedRequest r = ex.take();
            assertNull(r.getHeaders().get("OK-ACCESS-KEY"));
            assertNull(r.getHeaders().get("OK-ACCESS-SIGN"));
            assertEquals("1", r.getHeaders().get("x-simulated-trading"));
            assertEquals("drill/1", r.getHeaders().get("User-Agent"));
            assertNotNull(r.getHeaders().get("Accept"));
        }
    }

    @Test
    void queryValuesArePercentEncodedAndSignedAsSent() throws Exception {
        try (MockExchange ex = new MockExchange(); OkxClient c = fixedTimeClient(ex)) {
            ex.ok("{\"details\":[]}");
            c.account().balance().ccy("BTC,ETH").execute();
            RecordedRequest r = ex.take();
            assertEquals("/api/v5/account/balance?ccy=BTC,ETH", r.getTarget());
            assertEquals(recipe("2020-12-08T09:08:57.715Z", "GET", "/api/v5/account/balance?ccy=BTC,ETH", ""),
                    r.getHeaders().get("OK-ACCESS-SIGN"));
            assertEquals("a%20b%2Fc%C3%A9", RestRequest.encode("a b/cé"));

            ex.ok("{\"details\":[]}");
            c.account().balance().ccy("a b/cé&x=1").execute();
            RecordedRequest odd = ex.take();
            assertEquals("/api/v5/account/balance?ccy=a%20b%2Fc%C3%A9%26x%3D1", odd.getTarget(), "sent as encoded");
            assertEquals(recipe("2020-12-08T09:08:57.715Z", "GET", odd.getTarget(), ""),
                    odd.getHeaders().get("OK-ACCESS-SIGN"), "and signed as sent");
        }
    }
}
