package dev.bourse.server.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class DevSecretsTest {

    @Test
    void devProfileOnTheEmbeddedDatabaseKeepsItsSecretsAcrossStarts(@TempDir Path dir) {
        Path file = dir.resolve("data/dev-secrets.properties");
        Map<String, String> env = new HashMap<>();
        Function<String, String> first = DevSecrets.apply(env::get, file);
        String secret = first.apply("AUTH_TOKEN_SECRET");
        assertNotNull(secret);
        assertEquals(48, secret.length());
        assertEquals(secret, DevSecrets.apply(env::get, file).apply("AUTH_TOKEN_SECRET"), "same secret after a restart");
        assertEquals(first.apply("ADMIN_TOKEN"), DevSecrets.apply(env::get, file).apply("ADMIN_TOKEN"));
        EngineConfig config = EngineConfig.from(DevSecrets.apply(env::get, file), true);
        assertEquals(secret, config.authTokenSecret());
        assertFalse(config.secretsGenerated());
    }

    @Test
    void givenValuesWinAndNothingIsKeptForExternalDatabasesOrProd(@TempDir Path dir) {
        Path file = dir.resolve("dev-secrets.properties");
        Map<String, String> env = new HashMap<>(Map.of("ADMIN_TOKEN", "given-admin-token"));
        assertEquals("given-admin-token", DevSecrets.apply(env::get, file).apply("ADMIN_TOKEN"));

        Map<String, String> pg = Map.of("DB_URL", "jdbc:postgresql://127.0.0.1/x");
        Function<String, String> f = pg::get;
        Path other = dir.resolve("pg/dev-secrets.properties");
        assertSame(f, DevSecrets.apply(f, other));
        assertFalse(Files.exists(other));
        Map<String, String> prod = Map.of("BOURSE_PROFILE", "prod");
        Function<String, String> p = prod::get;
        assertSame(p, DevSecrets.apply(p, other));
    }
}
