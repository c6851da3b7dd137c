package dev.bourse.instrument;

import dev.bourse.asset.Asset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.*;

class InstrumentTest {
    private static final Asset BTC = new Asset(0, "BTC", 8);
    private static final Asset USDT = new Asset(1, "USDT", 6);

    /** A valid BTC-USDT definition; each test breaks one rule. */
    private static Instrument.Builder valid() {
        return Instrument.builder("BTC-USDT", BTC, USDT).tickSize("0.1").lotSize("0.00001").minSize("0.00001")
                .maxSize("1000");
    }

    private static void assertRejected(String expectedMessage, UnaryOperator<Instrument.Builder> change) {
        Instrument.Builder b = change.apply(valid());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
        assertEquals(expectedMessage, e.getMessage());
    }

    private static void assertRejectedStartingWith(String prefix, Executable build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
        assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
    }

    @Test
    void validDefinitionKeepsItsFields() {
        Instrument ins = valid().bandBps(500).referencePrice("50000").breaker(1000, 60_000).fees("-0.0001", "0.0005")
                .initialState(SymbolState.CANCEL_ONLY).build();
        assertEquals("BTC-USDT", ins.instId());
        assertSame(BTC, ins.base());
        assertSame(USDT, ins.quote());
        assertEquals(1, ins.priceScale()); // from the tick "0.1"
        assertEquals(1, ins.tickSize());
        assertEquals(1_000, ins.lotSize()); // 0.00001 BTC = 1000 sat
        assertEquals(1_000, ins.minSize());
        assertEquals(100_000_000_000L, ins.maxSize()); // 1000 BTC
        assertEquals(500, ins.bandBps());
        assertEquals(500_000, ins.referencePrice()); // 50000.0 at scale 1
        assertEquals(1000, ins.breakerBps());
        assertEquals(60_000, ins.breakerWindowMillis());
        assertEquals(-10_000, ins.makerFeeRate()); // -0.0001 at scale 8
        assertEquals(50_000, ins.takerFeeRate());
        assertEquals(SymbolState.CANCEL_ONLY, ins.initialState());
        assertEquals("Instrument[BTC-USDT tick=0.1 lot=0.00001]", ins.toString());
    }

    @Test
    void defaultsAreTradingWithoutBandBreakerOrFees() {
        Instrument ins = valid().build();
        assertEquals(SymbolState.TRADING, ins.initialState());
        assertEquals(0, ins.bandBps());
        assertEquals(0, ins.referencePrice());
        assertEquals(0, ins.breakerBps());
        assertEquals(0, ins.makerFeeRate());
        assertEquals(0, ins.takerFeeRate());
    }

    @Test
    void tickTextWithTrailingZerosKeepsTheSignificantScale() {
        Instrument ins = valid().tickSize("0.50").build();
        assertEquals(1, ins.priceScale());
        assertEquals(5, ins.tickSize());
    }

    @Test
    void symbolStatesMapToOkxStates() {
        assertEquals("live", SymbolState.TRADING.okxState());
        assertEquals("cancel_only", SymbolState.CANCEL_ONLY.okxState());
        assertEquals("suspend", SymbolState.HALTED.okxState());
    }

    // ------------------------------------------------------------------ validation, in build() order

    @Test
    void instIdMustLookLikeBaseDashQuote() {
        for (String bad : new String[]{null, "", "BTCUSDT", "btc-usdt", "BTC-", "-USDT", "BTC-USDT-SWAP", "BTC_USDT"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Instrument.builder(bad, BTC, USDT).tickSize("0.1").lotSize("0.00001").minSize("0.00001")
                            .maxSize("1000").build(), () -> "accepted " + bad);
            assertEquals("instId must look like BASE-QUOTE: " + bad, e.getMessage());
        }
    }

    @Test
    void baseAndQuoteMustDiffer() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Instrument.builder("BTC-BTC", BTC, BTC).tickSize("0.1").lotSize("0.00001").minSize("0.00001")
                        .maxSize("1").build());
        assertEquals("BTC-BTC: base and quote must differ", e.getMessage());
        // same id under another code is the same ledger asset
        Asset alias = new Asset(0, "USDT", 6);
        e = assertThrows(IllegalArgumentException.class,
                () -> Instrument.builder("BTC-USDT", BTC, alias).tickSize("0.1").lotSize("0.00001")
                        .minSize("0.00001").maxSize("1").build());
        assertEquals("BTC-USDT: base and quote must differ", e.getMessage());
    }

    @Test
    void instIdMustNameTheAssets() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Instrument.builder("ETH-USDT", BTC, USDT).tickSize("0.1").lotSize("0.00001")
                        .minSize("0.00001").maxSize("1").build());
        assertEquals("ETH-USDT: instId must be BTC-USDT", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Instrument.builder("USDT-BTC", BTC, USDT).tickSize("0.1").lotSize("0.00001")
                        .minSize("0.00001").maxSize("1").build());
        assertEquals("USDT-BTC: instId must be BTC-USDT", e.getMessage());
    }

    @Test
    void tickMustBePositive() {
        assertRejected("BTC-USDT: tick size must be > 0", b -> b.tickSize("0"));
        assertRejected("BTC-USDT: tick size must be > 0", b -> b.tickSize(-1, 1));
        assertRejected("BTC-USDT: tick size must be > 0", b -> b.tickSize(1, 19));
        assertRejected("BTC-USDT: tick size must be > 0", b -> b.tickSize(1, -1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Instrument.builder("BTC-USDT", BTC, USDT).lotSize("0.00001").minSize("0.00001").maxSize("1")
                        .build()); // no tick at all
        assertEquals("BTC-USDT: tick size must be > 0", e.getMessage());
    }

    @Test
    void lotMustBePositive() {
        assertRejected("BTC-USDT: lot size must be > 0", b -> b.lotSize(0));
        assertRejected("BTC-USDT: lot size must be > 0", b -> b.lotSize(-1_000));
    }

    @Test
    void lotTextBeyondTheBaseScaleIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> valid().lotSize("0.000000001")); // 9 decimals, BTC has 8
    }

    @Test
    void minMustBeAPositiveMultipleOfTheLot() {
        String msg = "BTC-USDT: min size must be a positive multiple of the lot size";
        assertRejected(msg, b -> b.minSize(0));
        assertRejected(msg, b -> b.minSize(-1_000));
        assertRejected(msg, b -> b.minSize("0.000015")); // 1500 sat, lot 1000 sat
    }

    @Test
    void maxMustBeAMultipleOfTheLotAndAtLeastMin() {
        String msg = "BTC-USDT: max size must be a multiple of the lot size and >= min size";
        assertRejected(msg, b -> b.minSize("1").maxSize("0.5"));
        assertRejected(msg, b -> b.maxSize(100_000_000_500L)); // 1000.000005 BTC: not a lot multiple
        valid().minSize("1").maxSize("1").build(); // max == min is fine
    }

    @Test
    void bandMustBeZeroTo9999Bps() {
        String msg = "BTC-USDT: price band must be 0..9999 bps";
        assertRejected(msg, b -> b.bandBps(-1));
        assertRejected(msg, b -> b.bandBps(10_000));
        assertEquals(9_999, valid().bandBps(9_999).build().bandBps());
        assertEquals(0, valid().bandBps(0).build().bandBps());
    }

    @Test
    void referencePriceTextMustFitTheTickScale() {
        Instrument.Builder b = valid().referencePrice("100.05"); // 2 decimals, tick "0.1" has 1
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
        assertTrue(e.getMessage().startsWith("BTC-USDT: reference price "), e.getMessage());
        assertTrue(e.getMessage().contains("decimal places"), e.getMessage());
        assertRejectedStartingWith("BTC-USDT: reference price ", valid().referencePrice("abc")::build);
    }

    @Test
    void referencePriceMustBeOnTheGridAndNotNegative() {
        String msg = "BTC-USDT: reference price must be >= 0 and on the tick grid";
        assertRejected(msg, b -> b.tickSize("0.5").referencePrice("100.2"));
        assertRejected(msg, b -> b.referencePrice(-10));
        assertRejected(msg, b -> b.tickSize("0.5").referencePrice(1003)); // 100.3 at scale 1
        assertEquals(1_005, valid().tickSize("0.5").referencePrice("100.5").build().referencePrice());
    }

    @Test
    void referencePriceTextIsParsedAtTheTickScaleWhateverTheCallOrder() {
        // the reference is set before the tick: it is parsed when build() knows the price scale
        Instrument ins = Instrument.builder("BTC-USDT", BTC, USDT).referencePrice("100.25").tickSize("0.05")
                .lotSize("0.0001").minSize("0.0001").maxSize("10").build();
        assertEquals(2, ins.priceScale());
        assertEquals(10_025, ins.referencePrice());
        // a later long overrides the text
        assertEquals(7, valid().referencePrice("100").referencePrice(7).build().referencePrice());
    }

    @Test
    void breakerNeeds0To9999BpsAndAPositiveWindow() {
        String msg = "BTC-USDT: breaker needs 0..9999 bps and a positive window";
        assertRejected(msg, b -> b.breaker(-1, 1_000));
        assertRejected(msg, b -> b.breaker(10_000, 1_000));
        assertRejected(msg, b -> b.breaker(500, 0));
        assertRejected(msg, b -> b.breaker(500, -5));
        assertEquals(0, valid().breaker(0, 0).build().breakerBps()); // disabled needs no window
    }

    @Test
    void feeRatesMustBeWithinTenPercentAndTakerNotNegative() {
        String msg = "BTC-USDT: fee rates must be within ±10 % (taker >= 0)";
        assertRejected(msg, b -> b.fees("0.10000001", "0.001"));
        assertRejected(msg, b -> b.fees("-0.10000001", "0.001"));
        assertRejected(msg, b -> b.fees("0", "-0.0001"));
        assertRejected(msg, b -> b.fees("0", "0.10000001"));
        Instrument ins = valid().fees("0.1", "0.1").build(); // exactly 10 % is allowed
        assertEquals(Instrument.MAX_ABS_FEE_RATE, ins.makerFeeRate());
        assertEquals(10_000_000, ins.takerFeeRate());
    }

    @Test
    void feeTextBeyondEightDecimalsIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> valid().fees("0.000000001", "0"));
    }

    @Test
    void makerRebateMayNotExceedTheTakerFee() {
        assertRejected("BTC-USDT: a maker rebate may not exceed the taker fee rate",
                b -> b.fees("-0.0006", "0.0005"));
        assertRejected("BTC-USDT: a maker rebate may not exceed the taker fee rate",
                b -> b.fees(-1, 0));
        Instrument ins = valid().fees("-0.0005", "0.0005").build(); // equal is allowed
        assertEquals(-50_000, ins.makerFeeRate());
    }

    @Test
    void tickTimesLotMustBeExactAtTheQuoteScale() {
        // 0.01 USDT x 0.00001 BTC = 0.0000001 USDT: 7 decimals, USDT has 6
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, valid().tickSize("0.01")::build);
        assertTrue(e.getMessage().startsWith("BTC-USDT: tick 0.01 x lot 0.00001"), e.getMessage());
        assertTrue(e.getMessage().endsWith(" = 0.0000001 USDT is not exact at the quote scale 6"), e.getMessage());
        // 0.1 x 0.00001 = 0.000001: exactly one micro-USDT
        Instrument ok = valid().tickSize("0.1").build();
        assertEquals(1, ok.quoteAmount(ok.tickSize(), ok.lotSize()));
        // 0.01 x 0.0001 = 0.000001 is exact again
        valid().tickSize("0.01").lotSize("0.0001").minSize("0.0001").build();
    }

    @Test
    void scalesTooFarApartAreRejected() {
        Asset wei = new Asset(5, "WEI", 18);
        Asset whole = new Asset(6, "WHOLE", 0);
        // tick 1.0 written at price scale 1, lot 1 WEI-unit of 10^18: exact (1 x 1 = 1) but
        // priceScale + baseScale - quoteScale = 1 + 18 - 0 = 19 > 18
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Instrument.builder("WEI-WHOLE", wei, whole).tickSize(10, 1).lotSize(1_000_000_000_000_000_000L)
                        .minSize(1_000_000_000_000_000_000L).maxSize(1_000_000_000_000_000_000L).build());
        assertEquals("WEI-WHOLE: scales too far apart", e.getMessage());
    }

    @Test
    void maxSizeAtTheReferencePriceMustNotOverflow() {
        // price units * size units must stay below 2^62 = 4611686018427387904:
        // 5,000,000.0 USDT = 5e7 units, x 1000 BTC = 1e11 units -> 5e18: too big
        assertRejected("BTC-USDT: max size at the reference price overflows the quote amount",
                b -> b.referencePrice("5000000"));
        // 4,000,000.0 -> 4e7 x 1e11 = 4e18 < 2^62
        valid().referencePrice("4000000").build();
    }

    @Test
    void initialStateMayNotBeNull() {
        assertThrows(NullPointerException.class, () -> valid().initialState(null));
    }

    // ------------------------------------------------------------------ quote amounts

    @Test
    void quoteAmountIsExactOnTheGrid() {
        Instrument ins = valid().build();
        // 100.1 USDT x 0.00001 BTC = 0.001001 USDT = 1001 micro
        assertEquals(1_001, ins.quoteAmount(1_001, 1_000));
        // 50000.0 x 0.5 = 25000 USDT
        assertEquals(25_000_000_000L, ins.quoteAmount(500_000, 50_000_000));
        // 0.1 x 1000 BTC = 100 USDT
        assertEquals(100_000_000, ins.quoteAmount(1, 100_000_000_000L));
        assertEquals(0, ins.quoteAmount(1_000, 0));
    }

    @Test
    void quoteAmountMultipliesWhenTheQuoteScaleIsFiner() {
        Asset abc = new Asset(2, "ABC", 2);
        Asset usdx = new Asset(3, "USDX", 8);
        // priceScale 1 + base 2 - quote 8 = -5: quote = price * size * 10^5
        Instrument ins = Instrument.builder("ABC-USDX", abc, usdx).tickSize("0.1").lotSize("0.01").minSize("0.01")
                .maxSize("100").build();
        // 1.5 x 2.00 = 3 USDX = 3_0000_0000
        assertEquals(300_000_000, ins.quoteAmount(15, 200));
        // 0.1 x 0.01 = 0.001 USDX = 100_000 units
        assertEquals(100_000, ins.quoteAmount(1, 1));
        // the final multiplication by 10^5 overflows
        assertThrows(ArithmeticException.class, () -> ins.quoteAmount(1L << 40, 1L << 20));
    }

    @Test
    void quoteAmountOverflowThrows() {
        Instrument ins = valid().build();
        assertThrows(ArithmeticException.class, () -> ins.quoteAmount(Long.MAX_VALUE, 2));
        // 2^31 * 2^32 = 2^63 does not fit a signed long
        assertThrows(ArithmeticException.class, () -> ins.quoteAmount(1L << 31, 1L << 32));
        // 2^31 * (2^32 - 1) < 2^63 fits: divided by 10^3
        assertEquals(((1L << 31) * ((1L << 32) - 1)) / 1_000, ins.quoteAmount(1L << 31, (1L << 32) - 1));
    }

    @Test
    void sizeForQuoteBuysWholeLotsWithinTheBudget() {
        Instrument ins = valid().build();
        // at 100.0 one lot (0.00001 BTC) costs 0.001 USDT = 1000 micro; 1 USDT buys 1000 lots = 0.01 BTC
        assertEquals(1_000_000, ins.sizeForQuote(1_000, 1_000_000));
        // 0.001999 USDT still buys one lot only
        assertEquals(1_000, ins.sizeForQuote(1_000, 1_999));
        assertEquals(0, ins.sizeForQuote(1_000, 999));
        assertEquals(0, ins.sizeForQuote(1_000, 0));
        // at 101.0 a lot costs 1010 micro: 70 USDT buys floor(70_000_000 / 1010) = 69306 lots
        assertEquals(69_306_000, ins.sizeForQuote(1_010, 70_000_000));
        assertTrue(ins.quoteAmount(1_010, ins.sizeForQuote(1_010, 70_000_000)) <= 70_000_000);
    }
}
