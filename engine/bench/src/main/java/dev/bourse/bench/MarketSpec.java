package dev.bourse.bench;

import dev.bourse.asset.Asset;
import dev.bourse.funds.InMemoryBalances;
import dev.bourse.instrument.Instrument;
import dev.bourse.matching.EngineListener;
import dev.bourse.matching.MatchingEngine;

/**
 * The market both engines are loaded with: {@code symbols} spot pairs S0-USDT .. S{n-1}-USDT and users
 * 1..{@code users}, every user funded with plenty of every asset so that no command is ever refused for
 * funds.
 *
 * <p>All pairs share one grid: tick 0.1 USDT, lot 0.001 of the base asset (base scale 8, USDT scale 6),
 * so one tick times one lot is exactly {@value #QUOTE_PER_TICK_LOT} quote units. Prices in a
 * {@link CommandStream} are Bourse prices (units of 10^-1 USDT, i.e. ticks, since the tick is one unit)
 * and sizes are Bourse sizes (units of 10^-8 base); exchange-core gets the same values expressed in
 * ticks and lots: its {@code quoteScaleK} is {@value #QUOTE_PER_TICK_LOT} and its {@code baseScaleK}
 * is {@value #LOT_UNITS}, so holds and settlements are the same amounts in both engines.
 */
public final class MarketSpec {
    public static final int BASE_SCALE = 8;
    public static final int QUOTE_SCALE = 6;
    public static final String TICK = "0.1";
    public static final String LOT = "0.001";
    /** One tick in Bourse price units (price scale 1). */
    public static final long TICK_UNITS = 1;
    /** One lot in base units (scale 8). */
    public static final long LOT_UNITS = 100_000;
    /** Quote units (scale 6) of one tick times one lot: exchange-core's quoteScaleK. */
    public static final long QUOTE_PER_TICK_LOT = 100;
    /** Bourse fee rates: maker 1 bp, taker 2 bp. */
    public static final String MAKER_FEE = "0.0001";
    public static final String TAKER_FEE = "0.0002";
    /** Deposits per user and asset: 1,000,000 base coins and 1,000,000,000 USDT. */
    public static final long DEPOSIT_BASE = 100_000_000_000_000L;
    public static final long DEPOSIT_QUOTE = 1_000_000_000_000_000L;

    private final int symbols;
    private final int users;
    private final long[] referenceTicks;
    private final Asset[] assets;
    private final Instrument[] instruments;

    public MarketSpec(int symbols, int users) {
        if (symbols < 1 || symbols > 10_000) {
            throw new IllegalArgumentException("symbols must be 1..10000: " + symbols);
        }
        if (users < 2) {
            throw new IllegalArgumentException("need at least 2 users: " + users);
        }
        this.symbols = symbols;
        this.users = users;
        this.referenceTicks = new long[symbols];
        this.assets = new Asset[symbols + 1];
        this.instruments = new Instrument[symbols];
        for (int s = 0; s < symbols; s++) {
            assets[s] = new Asset(s, "S" + s, BASE_SCALE);
        }
        assets[symbols] = new Asset(symbols, "USDT", QUOTE_SCALE);
        for (int s = 0; s < symbols; s++) {
            // 1000.0 .. ~1990.0 USDT: different symbols, same order of magnitude
            referenceTicks[s] = 10_000 + (s % 100) * 100L;
            instruments[s] = Instrument.builder("S" + s + "-USDT", assets[s], assets[symbols])
                    .tickSize(TICK)
                    .lotSize(LOT)
                    .minSize(LOT)
                    .maxSize("1000")
                    .bandBps(0)
                    .referencePrice(referenceTicks[s] * TICK_UNITS)
                    .fees(MAKER_FEE, TAKER_FEE)
                    .build();
        }
    }

    public int symbols() {
        return symbols;
    }

    public int users() {
        return users;
    }

    /** Asset id of USDT; base assets are 0..symbols-1. */
    public int quoteAsset() {
        return symbols;
    }

    public int assetCount() {
        return symbols + 1;
    }

    public Instrument instrument(int symbol) {
        return instruments[symbol];
    }

    public long referenceTicks(int symbol) {
        return referenceTicks[symbol];
    }

    /** Lowest price the generator uses (half the reference), in ticks. */
    public long minTicks(int symbol) {
        return referenceTicks[symbol] / 2;
    }

    /** Highest price the generator uses (twice the reference), in ticks; also exchange-core's bid reserve. */
    public long maxTicks(int symbol) {
        return referenceTicks[symbol] * 2;
    }

    /** exchange-core fee per lot in quote units, approximately the Bourse rate at the reference price. */
    public long ecMakerFeePerLot(int symbol) {
        return referenceTicks[symbol] * QUOTE_PER_TICK_LOT / 10_000; // 1 bp of one lot's notional
    }

    public long ecTakerFeePerLot(int symbol) {
        return 2 * ecMakerFeePerLot(symbol);
    }

    /** A fresh Bourse core with every instrument listed and every user (and the fee account) funded. */
    public MatchingEngine newBourseEngine(EngineListener listener) {
        InMemoryBalances balances = new InMemoryBalances(assetCount());
        // the fee account's row exists up front so that the first fee does not allocate it mid-run
        balances.deposit(MatchingEngine.DEFAULT_FEE_ACCOUNT, quoteAsset(), 0);
        for (long u = 1; u <= users; u++) {
            for (int a = 0; a < symbols; a++) {
                balances.deposit(u, a, DEPOSIT_BASE);
            }
            balances.deposit(u, quoteAsset(), DEPOSIT_QUOTE);
        }
        MatchingEngine engine = new MatchingEngine(balances, listener);
        for (int s = 0; s < symbols; s++) {
            int id = engine.addInstrument(instruments[s]);
            if (id != s) {
                throw new IllegalStateException("symbol ids must be dense: " + id + " != " + s);
            }
        }
        return engine;
    }
}
