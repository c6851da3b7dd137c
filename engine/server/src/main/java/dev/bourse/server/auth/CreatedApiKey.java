package dev.bourse.server.auth;

/** A key just created, with its secret in plain text: the only time it is ever shown. */
public record CreatedApiKey(ApiKeyInfo info, String secretKey) {

    @Override
    public String toString() {
        return "CreatedApiKey[" + info + ", secretKey=***]";
    }
}
