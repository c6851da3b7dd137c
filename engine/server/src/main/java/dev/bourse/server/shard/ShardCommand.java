package dev.bourse.server.shard;

import dev.bourse.instrument.SymbolState;
import dev.bourse.matching.Command;
import dev.bourse.order.OrderType;
import dev.bourse.order.Side;
import dev.bourse.order.StpMode;
import dev.bourse.order.TargetCurrency;

import java.util.regex.Pattern;

/**
 * A request for a shard, already converted to the instrument's scaled units by the edge that took it.
 * Immutable: it may be executed more than once when a batch is retried.
 */
public record ShardCommand(Kind kind, long userId, String instId, Side side, OrderType ordType, StpMode stp,
                           TargetCurrency tgtCcy, long px, long sz, String clOrdId, long ordId, long newPx, long newSz,
                           SymbolState targetState, String tag) {

    public enum Kind { PLACE, CANCEL, AMEND, MASS_CANCEL, SET_SYMBOL_STATE }

    /** OKX's order tag: 1 to 16 letters and digits. */
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9]{1,16}");

    /** True for null (no tag) and for a tag OKX accepts. */
    public static boolean validTag(String tag) {
        return tag == null || TAG.matcher(tag).matches();
    }

    public static ShardCommand place(long userId, String instId, Side side, OrderType type, long px, long sz,
                                     String clOrdId) {
        return new ShardCommand(Kind.PLACE, userId, instId, side, type, StpMode.CANCEL_MAKER, TargetCurrency.BASE_CCY,
                px, sz, clOrdId, 0, 0, 0, null, null);
    }

    public ShardCommand withStp(StpMode mode) {
        return new ShardCommand(kind, userId, instId, side, ordType, mode, tgtCcy, px, sz, clOrdId, ordId, newPx, newSz,
                targetState, tag);
    }

    public ShardCommand withTargetCurrency(TargetCurrency ccy) {
        return new ShardCommand(kind, userId, instId, side, ordType, stp, ccy, px, sz, clOrdId, ordId, newPx, newSz,
                targetState, tag);
    }

    /** A place command carrying OKX's {@code tag} (null: none); throws for a tag OKX would refuse. */
    public ShardCommand withTag(String newTag) {
        if (!validTag(newTag)) {
            throw new IllegalArgumentException("tag must be 1 to 16 letters and digits");
        }
        return new ShardCommand(kind, userId, instId, side, ordType, stp, tgtCcy, px, sz, clOrdId, ordId, newPx, newSz,
                targetState, newTag);
    }

    public static ShardCommand cancel(long userId, String instId, long ordId, String clOrdId) {
        return new ShardCommand(Kind.CANCEL, userId, instId, null, null, null, null, 0, 0, clOrdId, ordId, 0, 0, null, null);
    }

    /** {@code newSz} / {@code newPx} of 0 leave that field unchanged. */
    public static ShardCommand amend(long userId, String instId, long ordId, String clOrdId, long newSz, long newPx) {
        return new ShardCommand(Kind.AMEND, userId, instId, null, null, null, null, 0, 0, clOrdId, ordId, newPx, newSz,
                null, null);
    }

    /** Cancels all live orders of the user, on {@code instId} only if it is not null. */
    public static ShardCommand massCancel(long userId, String instId) {
        return new ShardCommand(Kind.MASS_CANCEL, userId, instId, null, null, null, null, 0, 0, null, 0, 0, 0, null, null);
    }

    public static ShardCommand setSymbolState(String instId, SymbolState state) {
        return new ShardCommand(Kind.SET_SYMBOL_STATE, 0, instId, null, null, null, null, 0, 0, null, 0, 0, 0, state, null);
    }

    /** Fills {@code c} with this request for the engine. {@code symbolId} -1 means all symbols (mass cancel). */
    Command toCommand(Command c, int symbolId, long now) {
        return switch (kind) {
            case PLACE -> c.place(userId, symbolId, side, ordType, px, sz, clOrdId, stp, now).targetCurrency(tgtCcy);
            case CANCEL -> c.cancel(userId, symbolId, ordId, clOrdId, now);
            case AMEND -> c.amend(userId, symbolId, ordId, clOrdId, newSz, newPx, now);
            case MASS_CANCEL -> c.massCancel(userId, symbolId, now);
            case SET_SYMBOL_STATE -> c.setSymbolState(symbolId, targetState, now);
        };
    }
}
