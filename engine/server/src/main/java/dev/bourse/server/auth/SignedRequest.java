package dev.bourse.server.auth;

/**
 * A REST request as the client signed it: the {@code OK-ACCESS-*} headers (null when absent), the method,
 * the raw request target (path plus {@code ?query} exactly as received) and the raw body bytes.
 */
public record SignedRequest(String apiKey, String sign, String timestamp, String passphrase, String method,
                            String requestTarget, byte[] body, String remoteIp) {
}
