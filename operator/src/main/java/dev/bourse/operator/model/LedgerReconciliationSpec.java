package dev.bourse.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/** A one-shot run: the spec cannot change after creation (create another run instead). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self == oldSelf", message = "a LedgerReconciliation is one run: its spec is immutable")
public class LedgerReconciliationSpec {
    @Default("Manual")
    @Pattern("^(Manual|Rollout|Scheduled)$")
    @JsonPropertyDescription("Manual | Rollout (created by the operator after a rollout) | Scheduled")
    public String trigger;

    @JsonPropertyDescription("Why this run was started")
    public String reason;

    @Default("true")
    @JsonPropertyDescription("On an anomaly, turn on the global PauseOrders switch (P0); a person removes it")
    public Boolean pauseOnAnomaly;

    @Min(30)
    @Max(86400)
    @Default("900")
    public Integer activeDeadlineSeconds;
}
