package dev.bourse.server.marketdata;

import dev.bourse.server.shard.FillRecord;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the projection rebuilds from at start-up, read from the {@code fills} table in one consistent
 * snapshot: the one-minute bars of the last day (every longer bar and the 24 h ticker are sums of them)
 * and each instrument's most recent trades. Minute sums rather than the fills themselves keep the read
 * small however busy the day was.
 *
 * @param bars   in instId order, each instrument's oldest first
 * @param trades the newest trades of each instrument, in instId order, each instrument's oldest first
 */
public record MarketHistory(List<MinuteBar> bars, List<FillRecord> trades) {

    public static final MarketHistory EMPTY = new MarketHistory(List.of(), List.of());

    /**
     * The fills of one instrument and one shard in one minute. Prices and sizes are the instrument's scaled
     * units; {@code lastTradeId} is the newest trade summed in, for de-duplicating what arrives later.
     */
    public record MinuteBar(String instId, int shardId, long start, long open, long high, long low, long close,
                            long vol, long volQuote, long lastTradeId) {
    }

    /**
     * The same history computed from fills in memory (oldest first): what the database's query computes,
     * for tests and for callers that already hold the fills.
     */
    public static MarketHistory of(List<FillRecord> fills, int tradesPerInstrument) {
        List<FillRecord> sorted = new ArrayList<>(fills);
        sorted.sort(Comparator.comparingLong(FillRecord::ts).thenComparingLong(FillRecord::tradeId));
        Map<String, MinuteBar> bars = new LinkedHashMap<>();
        Map<String, List<FillRecord>> byInst = new TreeMap<>();
        for (FillRecord f : sorted) {
            long start = Bar.M1.start(f.ts());
            bars.merge(f.instId() + '|' + f.shardId() + '|' + start,
                    new MinuteBar(f.instId(), f.shardId(), start, f.px(), f.px(), f.px(), f.px(), f.sz(), f.quoteAmt(),
                            f.tradeId()),
                    (a, b) -> new MinuteBar(a.instId(), a.shardId(), a.start(), a.open(), Math.max(a.high(), b.high()),
                            Math.min(a.low(), b.low()), b.close(), a.vol() + b.vol(), a.volQuote() + b.volQuote(),
                            Math.max(a.lastTradeId(), b.lastTradeId())));
            byInst.computeIfAbsent(f.instId(), k -> new ArrayList<>()).add(f);
        }
        List<MinuteBar> barList = new ArrayList<>(bars.values());
        barList.sort(Comparator.comparing(MinuteBar::instId).thenComparingLong(MinuteBar::start)
                .thenComparingInt(MinuteBar::shardId));
        List<FillRecord> trades = new ArrayList<>();
        for (List<FillRecord> l : byInst.values()) {
            l.sort(Comparator.comparingLong(FillRecord::tradeId));
            trades.addAll(l.subList(Math.max(0, l.size() - tradesPerInstrument), l.size()));
        }
        return new MarketHistory(List.copyOf(barList), List.copyOf(trades));
    }
}
