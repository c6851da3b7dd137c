package dev.bourse.client.rest.trade;

/**
 * One item of an order operation's answer (place, cancel, amend; single or batch). On Bourse {@code sCode} "0"
 * means the operation is durable. {@code reqId} is echoed by amendments.
 */
public record OrderAck(String ordId, String clOrdId, String tag, Long ts, String sCode, String sMsg, String subCode,
                       String reqId) {
    public boolean ok() {
        return "0".equals(sCode);
    }
}
