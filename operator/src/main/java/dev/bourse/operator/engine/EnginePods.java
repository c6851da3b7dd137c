package dev.bourse.operator.engine;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the engine pods: the StatefulSet {@code ENGINE_STATEFULSET} has {@code spec.replicas} shards, pod
 * {@code <statefulset>-<ordinal>} runs shard {@code ordinal}. The engines run in the operator's own namespace
 * ({@code POD_NAMESPACE}, where the chart installs both), whichever watched namespace a resource is in; outside a
 * cluster (no {@code POD_NAMESPACE}) in the resource's namespace. Read from the API server on each call, so a scaled
 * or restarted StatefulSet is seen at once.
 */
public final class EnginePods {
    private final KubernetesClient client;
    private final String statefulSet;
    private final String engineNamespace;
    private final PodAddresses addresses;

    /** @param engineNamespace where the engines run; null = each resource's own namespace */
    public EnginePods(KubernetesClient client, String statefulSet, String engineNamespace, PodAddresses addresses) {
        this.client = client;
        this.statefulSet = statefulSet;
        this.engineNamespace = engineNamespace;
        this.addresses = addresses;
    }

    /** The namespace of the engines that serve a resource in {@code resourceNamespace}. */
    public String namespaceFor(String resourceNamespace) {
        return engineNamespace != null ? engineNamespace : resourceNamespace;
    }

    /** The StatefulSet's name (the same in every namespace). */
    public String statefulSetName() {
        return statefulSet;
    }

    /**
     * The shards serving a resource of {@code resourceNamespace}, in ordinal order; throws {@link NoEnginesException}
     * without the StatefulSet.
     */
    public List<EnginePod> pods(String resourceNamespace) {
        String namespace = namespaceFor(resourceNamespace);
        try {
            return read(namespace);
        } catch (KubernetesClientException e) {
            // the API server failed or refused (RBAC): try again later, never conclude there are no engines
            throw new EngineException(null, "cannot read StatefulSet " + namespace + "/" + statefulSet + " and its pods: "
                    + e.getMessage(), e);
        }
    }

    private List<EnginePod> read(String namespace) {
        StatefulSet sts = client.apps().statefulSets().inNamespace(namespace).withName(statefulSet).get();
        if (sts == null) {
            throw new NoEnginesException("StatefulSet " + namespace + "/" + statefulSet + " not found (ENGINE_STATEFULSET)");
        }
        int replicas = sts.getSpec() == null || sts.getSpec().getReplicas() == null ? 1 : sts.getSpec().getReplicas();
        Map<String, Pod> byName = new HashMap<>();
        Map<String, String> selector = sts.getSpec() == null || sts.getSpec().getSelector() == null
                ? null : sts.getSpec().getSelector().getMatchLabels();
        List<Pod> listed = selector == null || selector.isEmpty()
                ? client.pods().inNamespace(namespace).list().getItems()
                : client.pods().inNamespace(namespace).withLabels(selector).list().getItems();
        for (Pod p : listed) {
            byName.put(p.getMetadata().getName(), p);
        }
        List<EnginePod> out = new ArrayList<>(replicas);
        for (int shard = 0; shard < replicas; shard++) {
            String name = statefulSet + "-" + shard;
            Pod pod = byName.get(name);
            out.add(new EnginePod(shard, name, pod != null && pod.getMetadata().getDeletionTimestamp() == null,
                    pod != null && ready(pod), addresses.address(namespace, name, shard)));
        }
        return out;
    }

    static boolean ready(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return false;
        }
        for (PodCondition c : pod.getStatus().getConditions()) {
            if ("Ready".equals(c.getType())) {
                return "True".equals(c.getStatus());
            }
        }
        return false;
    }

    /** The namespace has no engine StatefulSet. */
    public static final class NoEnginesException extends RuntimeException {
        public NoEnginesException(String message) {
            super(message);
        }
    }
}
