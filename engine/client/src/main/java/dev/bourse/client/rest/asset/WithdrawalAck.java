package dev.bourse.client.rest.asset;

import java.math.BigDecimal;

/** {@code POST /api/v5/asset/withdrawal}'s answer: the withdrawal's id and the {@code clientId} echoed. */
public record WithdrawalAck(String wdId, String ccy, String chain, BigDecimal amt, String clientId) {
}
