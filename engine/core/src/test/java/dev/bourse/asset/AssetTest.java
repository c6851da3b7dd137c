package dev.bourse.asset;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class AssetTest {

    @Test
    void validAsset() {
        Asset btc = new Asset(0, "BTC", 8);
        assertEquals(0, btc.id());
        assertEquals("BTC", btc.code());
        assertEquals(8, btc.scale());
        assertEquals(new Asset(0, "BTC", 8), btc);
        assertNotEquals(new Asset(1, "BTC", 8), btc);
        new Asset(7, "A", 0);
        new Asset(7, "ABCDEFGHIJ123456", 18); // 16 characters, scale 18
    }

    @Test
    void idMustNotBeNegative() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Asset(-1, "BTC", 8));
        assertEquals("asset id must be >= 0: -1", e.getMessage());
    }

    @Test
    void codeMustBeOneToSixteenUpperAlphanumerics() {
        for (String bad : new String[]{null, "", "btc", "BTC-USDT", "B C", "ABCDEFGHIJ1234567", "\u00c9TH", "BTC\n"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Asset(0, bad, 8),
                    () -> "accepted " + bad);
            assertEquals("asset code must be 1-16 of A-Z0-9: " + bad, e.getMessage());
        }
    }

    @Test
    void scaleMustBeZeroToEighteen() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Asset(0, "BTC", -1));
        assertEquals("asset scale must be 0..18: BTC -1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Asset(0, "BTC", 19));
        assertEquals("asset scale must be 0..18: BTC 19", e.getMessage());
    }
}
