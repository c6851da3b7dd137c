package dev.bourse.client.rest.trade;

/**
 * {@code POST /api/v5/trade/cancel-all-after}'s answer: when the dead man's switch fires (epoch ms; 0 when turned
 * off) and when it was set (epoch seconds, as OKX sends it).
 */
public record CancelAllAfter(Long triggerTime, String tag, Long ts) {
}
