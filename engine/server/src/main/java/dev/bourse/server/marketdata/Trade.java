package dev.bourse.server.marketdata;

/**
 * A public trade: {@code side} is the taker's. For the {@code trades} channel, fills of one taker order at
 * one price in one command are aggregated: {@code tradeId} is the last one and {@code count} how many.
 */
public record Trade(String instId, long tradeId, String px, String sz, String side, long ts, int count, long seqId) {
}
