package dev.bourse.bench.exchange;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExchangeTokensTest {

    @Test
    void flagsBeatTheEnvironmentWhichBeatsTheSecretsFile(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("dev-secrets.properties");
        Files.writeString(f, "INTERNAL_TOKEN=file-internal\nADMIN_TOKEN=file-admin\nAUTH_TOKEN_SECRET=x\n");
        assertEquals(new ExchangeTokens("file-internal", "file-admin"), ExchangeTokens.resolve(null, null, f, Map.of()));
        assertEquals(new ExchangeTokens("env-internal", "file-admin"),
                ExchangeTokens.resolve(null, null, f, Map.of("INTERNAL_TOKEN", "env-internal")));
        assertEquals(new ExchangeTokens("flag", "flag-admin"),
                ExchangeTokens.resolve("flag", " flag-admin ", f, Map.of("INTERNAL_TOKEN", "env-internal")));
        assertTrue(ExchangeTokens.resolve(null, null, f, Map.of()).complete());
    }

    @Test
    void missingTokensAreReportedWithoutTheirValues(@TempDir Path dir) {
        ExchangeTokens t = ExchangeTokens.resolve("secret-value", null, null, Map.of());
        assertFalse(t.complete());
        assertEquals("ExchangeTokens[internal=set, admin=missing]", t.toString());
        assertThrows(IllegalArgumentException.class, () -> ExchangeTokens.resolve(null, null, dir.resolve("none"),
                Map.of()));
    }
}
