package dev.bourse.server.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class DurationsTest {

    @Test
    void parsesShortAndIsoForms() {
        assertEquals(Duration.ofDays(14), Durations.parse("14d"));
        assertEquals(Duration.ofHours(36), Durations.parse("36H"));
        assertEquals(Duration.ofMinutes(90), Durations.parse("1h30m"));
        assertEquals(Duration.ofMillis(250), Durations.parse("250ms"));
        assertEquals(Duration.ofSeconds(30), Durations.parse("30s"));
        assertEquals(Duration.ofDays(14), Durations.parse("P14D"));
        assertEquals(Duration.ofHours(36), Durations.parse("P1DT12H"));
    }

    @Test
    void refusesBareNumbersAndNonsense() {
        for (String bad : new String[] {null, "", "14", "d", "14 d", "1.5h", "14d3", "h14", "-1h", "0s", "P0D", "P2W",
                "PT-1H", "1m1", "99999999999d"}) {
            assertNull(Durations.parse(bad), bad);
        }
    }

    @Test
    void formatsCompactly() {
        assertEquals("14d", Durations.format(Duration.ofDays(14)));
        assertEquals("1h30m", Durations.format(Duration.ofMinutes(90)));
        assertEquals("250ms", Durations.format(Duration.ofMillis(250)));
        assertEquals("1d", Durations.format(Duration.ofHours(24)));
    }
}
