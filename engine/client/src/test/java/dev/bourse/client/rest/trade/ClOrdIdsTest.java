package dev.bourse.client.rest.trade;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClOrdIdsTest {
    @Test
    void generatedIdsAreValidAndUnique() {
        ClOrdIds ids = new ClOrdIds("grid01");
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            String id = ids.next();
            assertTrue(ClOrdIds.isValid(id), id);
            assertTrue(id.startsWith("grid01"));
            assertTrue(id.length() <= 32, id);
            assertTrue(seen.add(id), "duplicate " + id);
        }
        // another generator (another process) in the same millisecond differs by its session part
        assertNotEquals(new ClOrdIds("x").next(), new ClOrdIds("x").next());
        assertTrue(ClOrdIds.isValid(ClOrdIds.generate()));
    }

    @Test
    void okxRulesAreChecked() {
        assertTrue(ClOrdIds.isValid("a"));
        assertTrue(ClOrdIds.isValid("A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6"));
        assertFalse(ClOrdIds.isValid("A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6X"), "33 characters");
        assertFalse(ClOrdIds.isValid(""));
        assertFalse(ClOrdIds.isValid("with-dash"));
        assertFalse(ClOrdIds.isValid(null));
        assertEquals("ok1", ClOrdIds.check("ok1"));
        assertThrows(IllegalArgumentException.class, () -> ClOrdIds.check("no_underscore"));
        assertThrows(IllegalArgumentException.class, () -> new ClOrdIds("toolongprefix"));
        assertThrows(IllegalArgumentException.class, () -> new ClOrdIds("a-b"));
    }
}
