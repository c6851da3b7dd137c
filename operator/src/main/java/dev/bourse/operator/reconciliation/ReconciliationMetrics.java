package dev.bourse.operator.reconciliation;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.EnumMap;
import java.util.Map;

/** {@code bourse_operator_reconciliation_runs_total{result="clean|anomalies|failed"}}: finished runs. */
public final class ReconciliationMetrics {
    private final Map<RunOutcome.Result, Counter> runs = new EnumMap<>(RunOutcome.Result.class);

    public ReconciliationMetrics(MeterRegistry registry) {
        for (RunOutcome.Result r : RunOutcome.Result.values()) {
            runs.put(r, Counter.builder("bourse.operator.reconciliation.runs")
                    .description("Ledger reconciliation runs finished, by result")
                    .tag("result", r.metricTag())
                    .register(registry));
        }
    }

    void finished(RunOutcome.Result result) {
        runs.get(result).increment();
    }
}
