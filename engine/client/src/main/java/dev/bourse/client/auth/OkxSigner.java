package dev.bourse.client.auth;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * OKX V5 signing. REST: {@code Base64(HMAC_SHA256(secret, timestamp + METHOD + requestPath(+query) + body))} with an
 * ISO-8601 millisecond timestamp; WebSocket login: the same over {@code seconds + "GET" + "/users/self/verify"}.
 * The key is the secret's UTF-8 bytes, as OKX's own SDKs use it.
 */
public final class OkxSigner {
    public static final String WS_LOGIN_METHOD = "GET";
    public static final String WS_LOGIN_PATH = "/users/self/verify";

    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final SecretKeySpec key;

    public OkxSigner(String secretKey) {
        this.key = new SecretKeySpec(secretKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /**
     * @param requestPath path and query exactly as sent ({@code /api/v5/trade/order?instId=BTC-USDT})
     * @param body        the exact body bytes as sent, or null for none
     */
    public String sign(String timestamp, String method, String requestPath, byte[] body) {
        Mac mac = mac();
        mac.update(timestamp.getBytes(StandardCharsets.UTF_8));
        mac.update(method.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
        mac.update(requestPath.getBytes(StandardCharsets.UTF_8));
        if (body != null) {
            mac.update(body);
        }
        return Base64.getEncoder().encodeToString(mac.doFinal());
    }

    public String sign(String timestamp, String method, String requestPath, String body) {
        return sign(timestamp, method, requestPath, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    /** The {@code sign} of a WebSocket {@code login} op for {@code epochSeconds}. */
    public String wsLogin(long epochSeconds) {
        return sign(Long.toString(epochSeconds), WS_LOGIN_METHOD, WS_LOGIN_PATH, (byte[]) null);
    }

    /** {@code OK-ACCESS-TIMESTAMP}: e.g. {@code 2020-12-08T09:08:57.715Z}. */
    public static String restTimestamp(Instant t) {
        return ISO_MILLIS.format(t);
    }

    private Mac mac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
