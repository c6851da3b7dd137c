package dev.bourse.client.book;

import java.math.BigDecimal;

/**
 * One price level of a local book: price and size as numbers for trading decisions, and as the exact text last
 * received, which is what the OKX checksum covers.
 */
public record PriceLevel(BigDecimal px, BigDecimal sz, int orders, String pxText, String szText) {
}
