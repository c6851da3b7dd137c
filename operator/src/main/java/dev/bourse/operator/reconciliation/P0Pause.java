package dev.bourse.operator.reconciliation;

import dev.bourse.operator.model.BourseResource;
import dev.bourse.operator.model.LedgerReconciliation;
import dev.bourse.operator.model.SwitchMode;
import dev.bourse.operator.model.TradingSwitch;
import dev.bourse.operator.model.TradingSwitchSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.net.HttpURLConnection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The P0 response to a ledger anomaly: a global {@code PauseOrders} switch named {@value #NAME}. New orders stop on
 * every symbol (cancels stay open, so held funds can always be released) until a person has looked at the ledger and
 * deletes the switch. The operator only ever creates it: it carries no owner reference (deleting the run leaves it)
 * and is never updated or deleted by the operator.
 */
public final class P0Pause {
    public static final String NAME = "p0-ledger-anomaly";
    public static final String CREATED_BY = BourseResource.PREFIX + "created-by";
    public static final String CAUSE = BourseResource.PREFIX + "cause";
    public static final String OPERATOR = "operator";
    private static final int MAX_REASON = 256;
    private static final int MAX_LABEL_VALUE = 63;

    private P0Pause() {
    }

    /**
     * Creates the switch, or keeps the one that is already on (an earlier run's, or one a person made); returns its
     * name. Safe to call again for the same run.
     */
    public static String engage(KubernetesClient client, LedgerReconciliation run, String summary) {
        String ns = run.getMetadata().getNamespace();
        String runName = run.getMetadata().getName();
        TradingSwitch existing = client.resources(TradingSwitch.class).inNamespace(ns).withName(NAME).get();
        if (existing != null) {
            return NAME;
        }
        TradingSwitchSpec spec = new TradingSwitchSpec();
        spec.scope = new TradingSwitchSpec.Scope();
        spec.scope.global = true;
        spec.mode = SwitchMode.PauseOrders;
        spec.reason = reason(runName, summary);

        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(CREATED_BY, OPERATOR);
        if (runName.length() <= MAX_LABEL_VALUE) {
            labels.put(CAUSE, runName);
        }
        TradingSwitch sw = new TradingSwitch();
        sw.setMetadata(new ObjectMetaBuilder()
                .withName(NAME)
                .withNamespace(ns)
                .withLabels(labels)
                .withAnnotations(Map.of(CREATED_BY, OPERATOR, CAUSE, runName))
                .build());
        sw.setSpec(spec);
        try {
            client.resource(sw).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) { // created meanwhile: keep that one
                throw e;
            }
        }
        return NAME;
    }

    /** Shown to traders in sMsg and kept in the audit log; the switch allows 256 characters. */
    static String reason(String runName, String summary) {
        String reason = "P0 ledger anomaly (LedgerReconciliation " + runName + "): " + summary;
        if (reason.length() <= MAX_REASON) {
            return reason;
        }
        int end = MAX_REASON - 1;
        if (Character.isHighSurrogate(reason.charAt(end - 1))) {
            end--;
        }
        return reason.substring(0, end) + "…";
    }
}
