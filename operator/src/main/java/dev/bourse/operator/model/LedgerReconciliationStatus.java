package dev.bourse.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;

import java.util.ArrayList;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class LedgerReconciliationStatus {
    public Long observedGeneration;
    /** Pending, Running, Succeeded (no anomaly) or Failed (anomalies, or the run could not complete). */
    public String phase;
    public String jobName;
    public String startTime;
    public String completionTime;
    /** Number of anomalies the report lists; absent until the run finished. */
    public Integer anomalies;
    /** The report's one-line summary, or why the run failed. */
    public String summary;
    /** The global switch the operator turned on because of this run's anomalies, if any. */
    public String pauseSwitch;
    public List<Condition> conditions = new ArrayList<>();
}
