package dev.bourse.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * OKX V5 request signing, shared by the server (to check) and clients and tests (to sign).
 * The HMAC key is the secret string's UTF-8 bytes, as OKX's own SDKs use it (not hex-decoded).
 */
public final class OkxSignature {
    /** The fixed method and path a WebSocket {@code login} signs. */
    public static final String WS_LOGIN_METHOD = "GET";
    public static final String WS_LOGIN_PATH = "/users/self/verify";

    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private OkxSignature() {
    }

    /** REST: {@code Base64(HMAC_SHA256(secret, timestamp + METHOD + requestTarget + body))}. */
    public static String rest(String secret, String timestamp, String method, String requestTarget, byte[] body) {
        Mac mac = mac(secret);
        mac.update(timestamp.getBytes(StandardCharsets.UTF_8));
        mac.update(method.toUpperCase(java.util.Locale.ROOT).getBytes(StandardCharsets.UTF_8));
        mac.update(requestTarget.getBytes(StandardCharsets.UTF_8));
        if (body != null) {
            mac.update(body); // the raw bytes as sent: re-serialising JSON would change the signature
        }
        return Base64.getEncoder().encodeToString(mac.doFinal());
    }

    public static String rest(String secret, String timestamp, String method, String requestTarget, String body) {
        return rest(secret, timestamp, method, requestTarget, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    /** WebSocket login: {@code Base64(HMAC_SHA256(secret, timestamp + "GET" + "/users/self/verify"))}. */
    public static String wsLogin(String secret, String timestampSeconds) {
        return rest(secret, timestampSeconds, WS_LOGIN_METHOD, WS_LOGIN_PATH, (byte[]) null);
    }

    /** The {@code OK-ACCESS-TIMESTAMP} form: ISO-8601 UTC with milliseconds, e.g. 2020-12-08T09:08:57.715Z. */
    public static String restTimestamp(Instant t) {
        return ISO_MILLIS.format(t);
    }

    /** Constant-time comparison of two signatures (or tokens). Null never matches. */
    public static boolean matches(String expected, String given) {
        if (expected == null || given == null) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }

    private static Mac mac(String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
