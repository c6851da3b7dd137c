package dev.bourse.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** Amounts are decimal strings in the asset's own units ("0.5"); the engine refuses more decimals than the asset has. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.asset == oldSelf.asset", message = "asset is immutable: create another WalletPolicy")
public class WalletPolicySpec {
    @Required
    @Pattern("^[A-Z0-9]{1,15}$")
    public String asset;

    @Default("true")
    public Boolean depositsEnabled;

    @Default("true")
    public Boolean withdrawalsEnabled;

    @Min(0)
    @Max(1000)
    @Default("1")
    @JsonPropertyDescription("Chain confirmations before a deposit is credited")
    public Integer confirmations;

    @Pattern(TradingSymbolSpec.DECIMAL)
    public String minWithdrawal;

    @Required
    @Pattern(TradingSymbolSpec.DECIMAL)
    public String maxWithdrawal;

    @Required
    @Pattern(TradingSymbolSpec.DECIMAL)
    @JsonPropertyDescription("Per user and rolling 24 h")
    public String dailyLimit;

    @Required
    @Pattern(TradingSymbolSpec.DECIMAL)
    @JsonPropertyDescription("Withdrawals at or above this amount wait for a person's review")
    public String reviewThreshold;

    @Default("false")
    @JsonPropertyDescription("Only whitelisted addresses may receive withdrawals")
    public Boolean whitelistRequired;

    @Pattern("^[0-9]{1,9}(s|m|h|d)?$")
    @JsonPropertyDescription("Wait after a whitelist change or a new address before withdrawals, e.g. 24h")
    public String cooldown;

    @Pattern(TradingSymbolSpec.DECIMAL)
    public String withdrawalFee;
}
