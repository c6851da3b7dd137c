package dev.bourse.server.store;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CopyRowsTest {
    @Test
    void encodesRowsInPostgresTextFormat() {
        CopyRows rows = new CopyRows("t (a, b, c, d)");
        rows.add(-42L).add((Long) null).add("plain").add(7).endRow();
        rows.add(Long.MAX_VALUE).add(5L).add((String) null).addNull().endRow();
        assertEquals("-42\t\\N\tplain\t7\n" + Long.MAX_VALUE + "\t5\t\\N\t\\N\n", rows.text());
        assertEquals(2, rows.rowCount());
    }

    @Test
    void escapesTheCharactersTheTextFormatReserves() {
        CopyRows rows = new CopyRows("t (a)");
        rows.add("a\\b\tc\nd\re\\N").endRow();
        assertEquals("a\\\\b\\tc\\nd\\re\\\\N\n", rows.text());
    }

    @Test
    void refusesNulCharacters() {
        CopyRows rows = new CopyRows("t (a)");
        assertThrows(IllegalArgumentException.class, () -> rows.add("a\0b"));
    }

    @Test
    void refusesAnUnfinishedRow() {
        CopyRows rows = new CopyRows("t (a, b)");
        rows.add(1L).endRow().add(2L);
        assertThrows(IllegalStateException.class, () -> rows.copyTo(null));
    }
}
