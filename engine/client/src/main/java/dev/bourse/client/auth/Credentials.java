package dev.bourse.client.auth;

import java.util.Objects;

/** An OKX-style API key: key, secret and passphrase. {@link #toString} never shows the secret or passphrase. */
public record Credentials(String apiKey, String secretKey, String passphrase) {
    public Credentials {
        Objects.requireNonNull(apiKey, "apiKey");
        Objects.requireNonNull(secretKey, "secretKey");
        Objects.requireNonNull(passphrase, "passphrase");
        if (apiKey.isBlank() || secretKey.isBlank() || passphrase.isBlank()) {
            throw new IllegalArgumentException("apiKey, secretKey and passphrase must not be blank");
        }
    }

    @Override
    public String toString() {
        return "Credentials[apiKey=" + apiKey + ", secretKey=***, passphrase=***]";
    }
}
