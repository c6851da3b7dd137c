package dev.bourse.server.auth;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fixed vectors computed independently with
 * {@code printf '%s' "$PREHASH" | openssl dgst -sha256 -hmac "$SECRET" -binary | base64}, using the
 * SecretKey and timestamp of OKX's documentation ("Signature" section).
 */
class OkxSignatureTest {
    static final String SECRET = "22582BD0CFF14C41EDBF1AB98506286D";
    static final String TS = "2020-12-08T09:08:57.715Z";

    @Test
    void documentedGetExample() {
        // OKX: sign = Base64(HmacSHA256(timestamp + 'GET' + '/api/v5/account/balance?ccy=BTC', SecretKey))
        assertEquals("HiZhvSfMtWJA3uUIVXV3a/bSXNPCWvYFXoGCVS8V4zY=",
                OkxSignature.rest(SECRET, TS, "GET", "/api/v5/account/balance?ccy=BTC", (String) null));
        assertEquals("HiZhvSfMtWJA3uUIVXV3a/bSXNPCWvYFXoGCVS8V4zY=",
                OkxSignature.rest(SECRET, TS, "GET", "/api/v5/account/balance?ccy=BTC", ""));
    }

    @Test
    void postWithBody() {
        String body = "{\"instId\":\"BTC-USDT\",\"tdMode\":\"cash\",\"side\":\"buy\",\"ordType\":\"limit\",\"px\":\"60000\",\"sz\":\"0.01\"}";
        assertEquals("QnA4WG2L6itORIQEff/vYyUrZjW0kSv0qgpdTq9gm54=",
                OkxSignature.rest(SECRET, TS, "POST", "/api/v5/trade/order", body));
        // the method is upper-cased as OKX requires
        assertEquals("QnA4WG2L6itORIQEff/vYyUrZjW0kSv0qgpdTq9gm54=",
                OkxSignature.rest(SECRET, TS, "post", "/api/v5/trade/order", body.getBytes()));
    }

    @Test
    void webSocketLogin() {
        assertEquals("+LdIr8lkkvhr5hoA3g9TMC0+uQJ849ftAcocA/ouu4M=", OkxSignature.wsLogin(SECRET, "1538054050"));
        // JS clients send Date.now() / 1000: the fraction is part of what is signed
        assertEquals("lRE1vjNranTuKfcH5PEGoanzlhaZD+oEZhKZY7TXxH4=", OkxSignature.wsLogin(SECRET, "1704876947.123"));
    }

    @Test
    void timestampFormatHasMillisecondsAndZ() {
        assertEquals(TS, OkxSignature.restTimestamp(Instant.ofEpochMilli(AuthFixture.NOW)));
        assertEquals("2020-12-08T09:08:57.000Z", OkxSignature.restTimestamp(Instant.ofEpochMilli(1_607_418_537_000L)));
    }

    @Test
    void comparisonIsExact() {
        assertTrue(OkxSignature.matches("abc=", "abc="));
        assertFalse(OkxSignature.matches("abc=", "abd="));
        assertFalse(OkxSignature.matches("abc=", "abc"));
        assertFalse(OkxSignature.matches("abc=", null));
        assertFalse(OkxSignature.matches(null, null));
    }
}
