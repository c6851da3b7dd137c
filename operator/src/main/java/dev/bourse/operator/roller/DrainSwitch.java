package dev.bourse.operator.roller;

import dev.bourse.operator.model.BourseResource;
import dev.bourse.operator.model.Conditions;
import dev.bourse.operator.model.SwitchMode;
import dev.bourse.operator.model.TradingSwitch;
import dev.bourse.operator.model.TradingSwitchSpec;
import dev.bourse.operator.reconciliation.P0Pause;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.net.HttpURLConnection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code rollout-drain-shard-N}: a cancel-only, draining switch on exactly the symbols of the shard being rolled.
 * Traders on those symbols can still cancel; the engine reports the switch {@code Drained} once the shard's queue is
 * empty and nothing is uncommitted, which is when its pod can be deleted without losing an accepted command.
 */
final class DrainSwitch {
    /** Names the StatefulSet a drain switch belongs to, so {@code kubectl get tsw -l} finds a rollout's switches. */
    static final String ROLLOUT_LABEL = BourseResource.PREFIX + "rollout";

    private DrainSwitch() {
    }

    static String name(int shard) {
        return "rollout-drain-shard-" + shard;
    }

    /** Creates the switch, or brings an existing one to these symbols and this reason. */
    static void apply(KubernetesClient client, String namespace, String statefulSet, int shard, List<String> symbols,
                      String revision) {
        TradingSwitchSpec spec = new TradingSwitchSpec();
        spec.scope = new TradingSwitchSpec.Scope();
        spec.scope.symbols = symbols.stream().sorted().distinct().toList();
        spec.mode = SwitchMode.CancelOnly;
        spec.drain = true;
        spec.reason = "rollout " + revision;

        var switches = client.resources(TradingSwitch.class).inNamespace(namespace);
        TradingSwitch existing = switches.withName(name(shard)).get();
        if (existing == null) {
            TradingSwitch sw = new TradingSwitch();
            sw.setMetadata(new ObjectMetaBuilder()
                    .withName(name(shard))
                    .withNamespace(namespace)
                    .withLabels(Map.of(P0Pause.CREATED_BY, P0Pause.OPERATOR, ROLLOUT_LABEL, statefulSet))
                    .withAnnotations(Map.of(P0Pause.CREATED_BY, P0Pause.OPERATOR, P0Pause.CAUSE, "rollout " + revision))
                    .build());
            sw.setSpec(spec);
            try {
                switches.resource(sw).create();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                    throw e;
                }
                existing = switches.withName(name(shard)).require();
            }
        }
        TradingSwitchSpec had = existing.getSpec();
        if (had == null || !Objects.equals(had.scope == null ? null : had.scope.symbols, spec.scope.symbols)
                || !Boolean.TRUE.equals(had.drain) || had.mode != SwitchMode.CancelOnly
                || !spec.reason.equals(had.reason)) {
            switches.withName(name(shard)).edit(sw -> {
                sw.setSpec(spec);
                return sw;
            });
        }
    }

    static TradingSwitch get(KubernetesClient client, String namespace, String name) {
        return client.resources(TradingSwitch.class).inNamespace(namespace).withName(name).get();
    }

    /** Drained=True, reported for the switch's current generation (an older report may predate the latest symbols). */
    static boolean drained(TradingSwitch sw) {
        long generation = sw.getMetadata().getGeneration() == null ? 0 : sw.getMetadata().getGeneration();
        return sw.getStatus() != null && Conditions.isTrue(sw.getStatus().conditions, TradingSwitch.DRAINED, generation);
    }

    static void delete(KubernetesClient client, String namespace, String name) {
        client.resources(TradingSwitch.class).inNamespace(namespace).withName(name).delete();
    }
}
