package dev.bourse.asset;

import java.util.regex.Pattern;

/**
 * A currency or token. Amounts of it are {@code long}s in units of 10^-scale (BTC with scale 8 counts
 * satoshis). {@code id} is a dense index used by the engine's balance arrays.
 */
public record Asset(int id, String code, int scale) {
    private static final Pattern CODE = Pattern.compile("[A-Z0-9]{1,16}");

    public Asset {
        if (id < 0) {
            throw new IllegalArgumentException("asset id must be >= 0: " + id);
        }
        if (code == null || !CODE.matcher(code).matches()) {
            throw new IllegalArgumentException("asset code must be 1-16 of A-Z0-9: " + code);
        }
        if (scale < 0 || scale > 18) {
            throw new IllegalArgumentException("asset scale must be 0..18: " + code + " " + scale);
        }
    }
}
