package dev.bourse.server.events;

import dev.bourse.instrument.SymbolState;
import dev.bourse.order.CancelReason;
import dev.bourse.order.OrderState;
import dev.bourse.order.OrderType;
import dev.bourse.order.Side;
import dev.bourse.order.StpMode;
import dev.bourse.order.TargetCurrency;
import dev.bourse.server.shard.FillRecord;
import dev.bourse.server.shard.OrderRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Random batches with every event variant, extreme longs and nulls where the records allow them. */
final class RandomBatches {
    private final Random rnd;

    RandomBatches(long seed) {
        rnd = new Random(seed);
    }

    BatchEvents batch(int shardId, long firstSeq, int events) {
        List<EngineEvent> out = new ArrayList<>(events);
        for (int i = 0; i < events; i++) {
            out.add(event(firstSeq + i));
        }
        return new BatchEvents(shardId, firstSeq, firstSeq + Math.max(0, events - 1), out);
    }

    EngineEvent event(long seq) {
        return switch (rnd.nextInt(5)) {
            case 0 -> new EngineEvent.OrderEvent(seq, new OrderRecord(lng(), rnd.nextInt(4096), text(), lng(), nullable(text()),
                    nullable(text()), pick(Side.values()), pick(OrderType.values()), pick(StpMode.values()), pick(TargetCurrency.values()),
                    lng(), lng(), lng(), lng(), lng(), lng(), lng(), pick(OrderState.values()),
                    rnd.nextBoolean() ? null : pick(CancelReason.values()), lng(), lng(), lng(), lng(), lng()));
            case 1 -> new EngineEvent.TradeEvent(seq, new FillRecord(lng(), rnd.nextInt(4096), lng(), text(), lng(), lng(), lng(),
                    pick(Side.values()), lng(), lng(), lng(), lng(), lng(), rnd.nextInt(), lng(), rnd.nextInt(), lng()));
            case 2 -> new EngineEvent.BookLevelEvent(seq, text(), pick(Side.values()), lng(), lng(), rnd.nextInt(), lng());
            case 3 -> new EngineEvent.SymbolStateEvent(seq, text(), pick(SymbolState.values()), pick(SymbolState.values()),
                    nullable(text()));
            default -> new EngineEvent.BalanceEvent(lng(), rnd.nextInt(), lng(), lng());
        };
    }

    private long lng() {
        return switch (rnd.nextInt(6)) {
            case 0 -> Long.MAX_VALUE;
            case 1 -> Long.MIN_VALUE;
            case 2 -> 0;
            case 3 -> rnd.nextInt(1000) - 500;
            default -> rnd.nextLong();
        };
    }

    private String text() {
        String[] samples = {"BTC-USDT", "ETH-USDT", "", "c\"lö\\rd\n\u0001", "日本-円", "x".repeat(64)};
        return samples[rnd.nextInt(samples.length)];
    }

    private <T> T nullable(T v) {
        return rnd.nextInt(4) == 0 ? null : v;
    }

    private <T> T pick(T[] values) {
        return values[rnd.nextInt(values.length)];
    }
}
