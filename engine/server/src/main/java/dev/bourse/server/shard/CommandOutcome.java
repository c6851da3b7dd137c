package dev.bourse.server.shard;

/**
 * What happened to a command, known only after its batch committed. {@code sCode} is "0" on success,
 * otherwise the OKX V5 code of the rejection with {@code sMsg}. {@code order} is the order as committed
 * at the end of the batch (null for rejections and mass cancels); {@code duplicate} marks a place whose
 * clOrdId was already used by the same order (an idempotent retry answered with the original order).
 */
public record CommandOutcome(long seq, String sCode, String sMsg, long ordId, String clOrdId, OrderRecord order,
                             int count, boolean duplicate) {

    public boolean ok() {
        return "0".equals(sCode);
    }

    public static CommandOutcome rejected(long seq, String code, String msg, long ordId, String clOrdId) {
        return new CommandOutcome(seq, code, msg, ordId, clOrdId, null, 0, false);
    }
}
