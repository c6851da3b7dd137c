package dev.bourse.client.rest.publicdata;

import java.math.BigDecimal;

/**
 * {@code GET /api/v5/public/instruments}: a tradable instrument. Prices must be multiples of {@code tickSz}, sizes
 * of {@code lotSz} and at least {@code minSz}. {@code state}: {@code live}, {@code suspend} (halted),
 * {@code cancel_only} (Bourse) or OKX's {@code preopen}/{@code test}. {@code instIdCode} identifies the instrument
 * in WebSocket order operations.
 */
public record Instrument(String instType, String instId, Long instIdCode, String baseCcy, String quoteCcy,
                         BigDecimal tickSz, BigDecimal lotSz, BigDecimal minSz, BigDecimal maxLmtSz,
                         BigDecimal maxMktSz, String state, Long listTime) {
    public boolean live() {
        return "live".equals(state);
    }
}
