package dev.bourse.operator.assembly;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bourse.operator.OperatorServices;
import dev.bourse.operator.engine.EngineException;
import dev.bourse.operator.engine.EnginePod;
import dev.bourse.operator.engine.EnginePods;
import dev.bourse.operator.engine.EngineRefusedException;
import dev.bourse.operator.model.Conditions;
import dev.bourse.operator.model.WalletPolicy;
import dev.bourse.operator.model.WalletPolicyStatus;
import dev.bourse.operator.wallet.EngineWalletPolicy;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Pushes a WalletPolicy to the engines ({@code PUT /internal/v1/wallet-policies/{asset}} with the resource's
 * generation) and reads it back from every pod: {@code Applied} is True when every pod reads this generation.
 * Policies live in the engines' database and are read on every use, so one PUT reaches every pod. Deleting the
 * resource leaves the policy in force (the engine has no delete; docs/operator.md says how to close an asset).
 */
@ControllerConfiguration(name = WalletPolicyReconciler.NAME)
public final class WalletPolicyReconciler implements Reconciler<WalletPolicy> {
    public static final String NAME = "walletpolicy";
    static final Duration RETRY = Duration.ofSeconds(5);

    private final OperatorServices services;

    public WalletPolicyReconciler(OperatorServices services) {
        this.services = services;
    }

    @Override
    public UpdateControl<WalletPolicy> reconcile(WalletPolicy wp, Context<WalletPolicy> context) {
        long generation = wp.getMetadata().getGeneration() == null ? 0 : wp.getMetadata().getGeneration();
        String asset = wp.getSpec().asset;
        WalletPolicyStatus before = wp.getStatus() == null ? new WalletPolicyStatus()
                : StatusSupport.copy(wp.getStatus(), WalletPolicyStatus.class);
        WalletPolicyStatus status = StatusSupport.copy(before, WalletPolicyStatus.class);
        Duration next = null;
        try {
            List<EnginePod> pods = TradingSwitchReconciler.preferReady(services.pods().pods(wp.getMetadata().getNamespace()));
            JsonNode put = put(pods, wp, generation);
            String outcome = put.path("outcome").asText();
            if ("stale".equals(outcome)) {
                status.conditions = Conditions.set(status.conditions, WalletPolicy.APPLIED, Conditions.FALSE, "Stale",
                        "the engines hold generation " + put.path("generation").asLong() + " of " + asset
                                + ", newer than this resource's " + generation + " (was the resource re-created?); "
                                + "they keep the newer policy", generation);
            } else {
                long version = put.path("version").asLong();
                List<String> behind = readBack(pods, asset, generation);
                status.version = version;
                if (behind.isEmpty()) {
                    status.observedGeneration = generation;
                    status.conditions = Conditions.set(status.conditions, WalletPolicy.APPLIED, Conditions.TRUE, "Applied",
                            "policy version " + version + " (generation " + generation + ", " + outcome
                                    + ") read back by all " + pods.size() + " engine pods", generation);
                } else {
                    status.conditions = Conditions.set(status.conditions, WalletPolicy.APPLIED, Conditions.FALSE,
                            "Pending", "not yet read back by " + behind, generation);
                    next = RETRY;
                }
            }
        } catch (EnginePods.NoEnginesException e) {
            status.conditions = Conditions.set(status.conditions, WalletPolicy.APPLIED, Conditions.FALSE, "NoEngines",
                    e.getMessage(), generation);
        } catch (EngineRefusedException e) {
            status.conditions = Conditions.set(status.conditions, WalletPolicy.APPLIED, Conditions.FALSE, "EngineRefused",
                    e.engineMessage() + " (code " + e.code() + ")", generation);
        } catch (EngineException e) {
            status.conditions = Conditions.set(status.conditions, WalletPolicy.APPLIED, Conditions.FALSE,
                    "EnginesUnavailable", e.getMessage(), generation);
            next = RETRY;
        }
        if (StatusSupport.becameTrue(before.conditions, status.conditions, WalletPolicy.APPLIED)) {
            services.events().normal(wp, "Applied", Conditions.find(status.conditions, WalletPolicy.APPLIED)
                    .orElseThrow().getMessage());
        }
        for (String reason : List.of("EngineRefused", "Stale")) {
            if (StatusSupport.newReason(before.conditions, status.conditions, WalletPolicy.APPLIED, reason)) {
                services.events().warning(wp, reason, Conditions.find(status.conditions, WalletPolicy.APPLIED)
                        .orElseThrow().getMessage());
            }
        }
        UpdateControl<WalletPolicy> control;
        if (StatusSupport.same(before, status)) {
            control = UpdateControl.noUpdate();
        } else {
            wp.setStatus(status);
            control = UpdateControl.patchStatus(wp);
        }
        return next == null ? control : control.rescheduleAfter(next);
    }

    private JsonNode put(List<EnginePod> pods, WalletPolicy wp, long generation) {
        EngineException last = null;
        List<String> failures = new ArrayList<>();
        for (EnginePod pod : pods) {
            try {
                return services.engines().putWalletPolicy(pod, wp.getSpec().asset,
                        EngineWalletPolicy.body(wp.getSpec(), generation));
            } catch (EngineRefusedException e) {
                throw e;
            } catch (EngineException e) {
                last = e;
                failures.add(e.getMessage());
            }
        }
        throw last != null ? new EngineException(last.pod(), failures.size() == 1 ? failures.get(0) : "no engine pod answered: " + String.join("; ", failures), last) : new EngineException(null, "no engine pod exists to take the policy", null);
    }

    /** Pods that do not read this generation back (unreachable ones included). */
    private List<String> readBack(List<EnginePod> pods, String asset, long generation) {
        List<String> behind = new ArrayList<>();
        for (EnginePod pod : pods) {
            try {
                Optional<JsonNode> p = services.engines().getWalletPolicy(pod, asset);
                if (p.isEmpty() || p.get().path("generation").asLong(-1) != generation) {
                    behind.add(pod.name());
                }
            } catch (EngineException e) {
                behind.add(pod.name() + " (" + e.getMessage() + ")");
            }
        }
        return behind;
    }
}
