package dev.bourse.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Decimal fields are strings ("0.1"), never floating point: the engine parses them exactly and refuses a value
 * its scales cannot hold.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.instId == self.baseCcy + '-' + self.quoteCcy",
        message = "instId must be baseCcy-quoteCcy")
@ValidationRule(value = "self.instId == oldSelf.instId",
        message = "instId is immutable: list a new TradingSymbol instead")
public class TradingSymbolSpec {
    public static final String DECIMAL = "^(0|[1-9][0-9]{0,17})(\\.[0-9]{1,18})?$";

    @Required
    @Pattern("^[A-Z0-9]{1,15}-[A-Z0-9]{1,15}$")
    @JsonPropertyDescription("OKX instrument id, e.g. BTC-USDT (immutable)")
    public String instId;

    @Required
    @Pattern("^[A-Z0-9]{1,15}$")
    public String baseCcy;

    @Required
    @Pattern("^[A-Z0-9]{1,15}$")
    public String quoteCcy;

    @Min(0)
    @Max(18)
    @JsonPropertyDescription("Decimal places of the base asset; creates the asset if it is not listed yet")
    public Integer baseScale;

    @Min(0)
    @Max(18)
    @JsonPropertyDescription("Decimal places of the quote asset; creates the asset if it is not listed yet")
    public Integer quoteScale;

    @Required
    @Pattern(DECIMAL)
    @JsonPropertyDescription("Price increment; changes only while the book is empty")
    public String tickSz;

    @Required
    @Pattern(DECIMAL)
    @JsonPropertyDescription("Size increment; changes only while the book is empty")
    public String lotSz;

    @Required
    @Pattern(DECIMAL)
    public String minSz;

    @Required
    @Pattern(DECIMAL)
    public String maxSz;

    @Required
    @Pattern(DECIMAL)
    @JsonPropertyDescription("Reference price for the protection band until the first trade")
    public String refPx;

    @Min(1)
    @Max(9999)
    @Default("500")
    @JsonPropertyDescription("Price protection band around the reference price, basis points")
    public Integer priceBandBps;

    public Breaker breaker;

    public Fees fees;

    @Default("Trading")
    @JsonPropertyDescription("Trading | CancelOnly | Halted")
    public SymbolState state;

    @Min(0)
    @JsonPropertyDescription("Pin the symbol to this shard (engine pod ordinal); balanced over the shards if unset")
    public Integer shard;

    @JsonPropertyDescription("Why the desired state is what it is (kept in the engine's audit log)")
    public String reason;

    /** Halts the symbol after a move beyond {@code moveBps} within {@code window}; absent = no breaker. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Breaker {
        @Required
        @Min(1)
        @Max(9999)
        public Integer moveBps;

        @Required
        @Pattern("^[1-9][0-9]{0,8}(ms|s|m|h)$")
        @JsonPropertyDescription("e.g. 60s, 5m")
        public String window;
    }

    /** Fee rates as decimal fractions ("0.001" = 10 bps); a negative maker rate is a rebate. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Fees {
        @Required
        @Pattern("^-?(0|[1-9][0-9]{0,5})(\\.[0-9]{1,8})?$")
        public String maker;

        @Required
        @Pattern("^(0|[1-9][0-9]{0,5})(\\.[0-9]{1,8})?$")
        public String taker;
    }
}
