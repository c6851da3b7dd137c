package dev.bourse.operator.roller;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The pods of the engine StatefulSet, read live from the API server (never from a cache that may lag). */
final class EnginePods {
    /** The label the StatefulSet controller sets to the revision a pod was created from. */
    static final String REVISION_LABEL = "controller-revision-hash";

    private final StatefulSet sts;
    private final Map<Integer, Pod> byOrdinal;

    private EnginePods(StatefulSet sts, Map<Integer, Pod> byOrdinal) {
        this.sts = sts;
        this.byOrdinal = byOrdinal;
    }

    static EnginePods of(KubernetesClient client, StatefulSet sts) {
        Map<String, String> selector = sts.getSpec().getSelector() == null
                || sts.getSpec().getSelector().getMatchLabels() == null
                ? Map.of() : sts.getSpec().getSelector().getMatchLabels();
        String name = sts.getMetadata().getName();
        Map<Integer, Pod> pods = new TreeMap<>();
        for (Pod p : client.pods().inNamespace(sts.getMetadata().getNamespace()).withLabels(selector).list().getItems()) {
            boolean owned = p.getMetadata().getOwnerReferences() != null && p.getMetadata().getOwnerReferences().stream()
                    .anyMatch(o -> "StatefulSet".equals(o.getKind()) && name.equals(o.getName()));
            ordinal(name, p.getMetadata().getName()).filter(o -> owned).ifPresent(o -> pods.put(o, p));
        }
        return new EnginePods(sts, pods);
    }

    /** The ordinal in {@code <statefulset>-<ordinal>}, if {@code pod} is named that way. */
    static Optional<Integer> ordinal(String statefulSet, String pod) {
        if (pod == null || !pod.startsWith(statefulSet + "-")) {
            return Optional.empty();
        }
        try {
            int n = Integer.parseInt(pod.substring(statefulSet.length() + 1));
            return n >= 0 ? Optional.of(n) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    int replicas() {
        return sts.getSpec().getReplicas() == null ? 1 : sts.getSpec().getReplicas();
    }

    Optional<Pod> pod(int ordinal) {
        return Optional.ofNullable(byOrdinal.get(ordinal));
    }

    String podName(int ordinal) {
        return sts.getMetadata().getName() + "-" + ordinal;
    }

    /** Ordinals (within the replica count) whose pod does not run {@code revision}, highest first. */
    List<Integer> outdated(String revision) {
        List<Integer> out = new ArrayList<>();
        for (var e : byOrdinal.entrySet()) {
            if (e.getKey() < replicas() && !revision.equals(revision(e.getValue()))) {
                out.add(e.getKey());
            }
        }
        out.sort(Comparator.reverseOrder());
        return out;
    }

    /** Pods other than {@code except} that are missing, terminating or not Ready: rolling now would take two down. */
    List<String> notReadyExcept(int except) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < replicas(); i++) {
            if (i != except && !pod(i).map(EnginePods::ready).orElse(false)) {
                out.add(podName(i));
            }
        }
        return out;
    }

    static String revision(Pod p) {
        return p.getMetadata().getLabels() == null ? null : p.getMetadata().getLabels().get(REVISION_LABEL);
    }

    static boolean terminating(Pod p) {
        return p.getMetadata().getDeletionTimestamp() != null;
    }

    static boolean ready(Pod p) {
        return !terminating(p) && p.getStatus() != null && p.getStatus().getConditions() != null
                && p.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
