package dev.bourse.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.readOnlyMarketData) || !self.readOnlyMarketData || has(self.scope.global) || has(self.scope.symbols)",
        message = "readOnlyMarketData applies to a global or symbols scope only")
@ValidationRule(value = "!has(self.haltWithdrawals) || !self.haltWithdrawals || !has(self.scope.symbols)",
        message = "haltWithdrawals applies to a global, users or assets scope")
@ValidationRule(value = "has(self.scope.global) || has(self.scope.symbols) || (!has(self.rateLimit) && !has(self.priceBandBps) "
        + "&& (!has(self.disabledOrdTypes) || size(self.disabledOrdTypes) == 0))",
        message = "rateLimit, priceBandBps and disabledOrdTypes apply to a global or symbols scope only")
public class TradingSwitchSpec {
    @Required
    public Scope scope;

    @Default("Normal")
    @JsonPropertyDescription("Normal | PauseOrders (no new orders) | CancelOnly (only cancels) | ReadOnly (queries only)")
    public SwitchMode mode;

    @JsonPropertyDescription("Refuse withdrawals and stop queued ones before broadcast")
    public Boolean haltWithdrawals;

    @JsonPropertyDescription("Stop depth pushes (books, books5, bbo-tbt); trades keep flowing")
    public Boolean readOnlyMarketData;

    public RateLimit rateLimit;

    @Min(1)
    @Max(9999)
    @JsonPropertyDescription("Tighter price protection band, basis points around the reference price")
    public Integer priceBandBps;

    @JsonPropertyDescription("Order types refused while the switch is on: limit, market, post_only, ioc, fok")
    public List<@Pattern("^(limit|market|post_only|ioc|fok)$") String> disabledOrdTypes;

    @JsonPropertyDescription("Drain the affected shards (implies at least CancelOnly); Drained=True once every queue is empty")
    public Boolean drain;

    @Required
    @Size(min = 1, max = 256)
    @JsonPropertyDescription("Why: shown to traders in sMsg and kept in the audit log")
    public String reason;

    /** Exactly one of global, symbols, users, assets. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @ValidationRule(value = "(has(self.global) ? 1 : 0) + (has(self.symbols) ? 1 : 0) + (has(self.users) ? 1 : 0) + (has(self.assets) ? 1 : 0) == 1",
            message = "scope must name exactly one of global, symbols, users, assets")
    @ValidationRule(value = "!has(self.global) || self.global", message = "scope.global must be true when given")
    public static class Scope {
        public Boolean global;
        @Size(min = 1)
        public List<String> symbols;
        @Size(min = 1)
        @JsonPropertyDescription("User ids (account freeze)")
        public List<Long> users;
        @Size(min = 1)
        @JsonPropertyDescription("Asset codes (asset freeze)")
        public List<String> assets;
    }

    /** Exactly one of factor (scales every per-instrument trade limit) or max (caps it per window). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @ValidationRule(value = "has(self.factor) != has(self.max)", message = "rateLimit takes exactly one of factor, max")
    public static class RateLimit {
        @Pattern("^(0\\.[0-9]{1,4}|1(\\.0{1,4})?)$")
        @JsonPropertyDescription("e.g. \"0.25\": a quarter of the normal limit")
        public String factor;
        @Min(1)
        public Integer max;
    }
}
