package dev.bourse.client.error;

/**
 * One item of an order operation's answer ({@code data[i]} of {@code trade/order}, {@code batch-orders},
 * {@code cancel-…}, {@code amend-…}): OKX reports success or failure per item in {@code sCode}/{@code sMsg}.
 *
 * @param index   position in the request (and in the answer)
 * @param ordId   the exchange's order id ("" when the item failed before one was assigned)
 * @param clOrdId the client order id as echoed
 * @param reqId   the amend request id as echoed ("" for other operations)
 */
public record ItemResult(int index, String sCode, String sMsg, String ordId, String clOrdId, String reqId) {
    public boolean ok() {
        return "0".equals(sCode);
    }
}
