package dev.bourse.bench.cli;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CliArgsTest {

    @Test
    void repeatedAndCommaSeparatedValuesAllCount() {
        CliArgs a = CliArgs.parse(new String[]{"--key", "a:b:c", "--key=d:e:f,g:h:i", "--v"}, Set.of("key"),
                Set.of("v"));
        assertEquals(List.of("a:b:c", "d:e:f", "g:h:i"), a.all("key"));
        assertEquals("d:e:f,g:h:i", a.string("key", null));
        assertTrue(a.flag("v"));
    }

    @Test
    void durationsNeedAUnit() {
        assertEquals(Duration.ofMillis(250), CliArgs.parseDuration("d", "250ms"));
        assertEquals(Duration.ofSeconds(3), CliArgs.parseDuration("d", " 3s "));
        assertEquals(Duration.ofMinutes(2), CliArgs.parseDuration("d", "2m"));
        assertThrows(CliArgs.UsageException.class, () -> CliArgs.parseDuration("d", "3"));
        assertThrows(CliArgs.UsageException.class, () -> CliArgs.parseDuration("d", "1h"));
    }

    @Test
    void numbersAreCheckedAgainstTheirRange() {
        CliArgs a = CliArgs.parse(new String[]{"--n", "5", "--f", "1.5"}, Set.of("n", "f"), Set.of());
        assertEquals(5, a.integer("n", 0, 1, 10));
        assertEquals(7, a.integer("missing", 7, 1, 10));
        assertEquals(1.5, a.decimal("f", 0, 0, 2));
        assertTrue(assertThrows(CliArgs.UsageException.class, () -> a.integer("n", 0, 6, 10)).getMessage()
                .contains("--n must be between 6 and 10: 5"));
        assertThrows(CliArgs.UsageException.class, () -> a.decimal("f", 0, 0, 1));
    }
}
