package dev.bourse.server.auth;

/** Checks OKX V5 signatures against the stored API keys. Both methods throw {@link AuthException}. */
public interface ApiKeyVerifier {

    /** REST: {@code Base64(HMAC_SHA256(secret, timestamp + METHOD + requestTarget + body))}, ISO-8601 timestamp. */
    ApiPrincipal verify(SignedRequest request);

    /** WebSocket {@code login}: signature over {@code timestamp + "GET" + "/users/self/verify"}, Unix seconds. */
    ApiPrincipal verifyWsLogin(String apiKey, String passphrase, String timestamp, String sign, String remoteIp);
}
