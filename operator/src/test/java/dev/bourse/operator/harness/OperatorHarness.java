package dev.bourse.operator.harness;

import dev.bourse.operator.BourseOperator;
import dev.bourse.operator.OperatorConfig;
import dev.bourse.operator.engine.PodAddresses;
import dev.bourse.operator.model.Conditions;
import dev.bourse.operator.reconciliation.EngineJar;
import dev.bourse.operator.reconciliation.JobKubelet;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.javaoperatorsdk.operator.api.config.ConfigurationServiceOverrider;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The operator as it runs in a cluster, minus the cluster: fabric8's mock API server in CRUD mode with the
 * generated CRDs loaded from {@code crds/} (and a canned answer for leader election's access review), the engine
 * StatefulSet and one Ready pod object per shard owned by it (the test plays the kubelet), and the real
 * {@link BourseOperator} with its reconcilers, pointed at the processes of an {@link EngineCluster} (shard →
 * {@code http://127.0.0.1:port}). The mock server does not support server-side apply, so the operator runs with
 * {@link #withoutServerSideApply()}. For rollouts the test can also play the StatefulSet controller ({@link #rollTo}),
 * the kubelet of the engine pods ({@link #engineKubelet}) and of reconciliation Jobs ({@link #reconciliationJobs}).
 */
public final class OperatorHarness implements AutoCloseable {
    public static final String NAMESPACE = "bourse";
    public static final String STATEFULSET = "bourse-engine";
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(30);
    /** The revision of the engine StatefulSet and its pods until a test rolls it ({@link #rollTo}). */
    public static final String FIRST_REVISION = "r1";
    /** The label the StatefulSet controller sets to the revision a pod was created from. */
    public static final String REVISION_LABEL = "controller-revision-hash";
    private static final String IMAGE = "bourse/engine:";

    private final KubernetesMockServer server;
    private final KubernetesClient client;
    private final EngineCluster engines;
    private BourseOperator operator;
    /** Stand-ins for cluster controllers started by a test, stopped (newest first) before the operator. */
    private final List<AutoCloseable> closeFirst = new java.util.concurrent.CopyOnWriteArrayList<>();

    private OperatorHarness(KubernetesMockServer server, KubernetesClient client, EngineCluster engines) {
        this.server = server;
        this.client = client;
        this.engines = engines;
    }

    /**
     * A mock API server with the CRDs and an engine StatefulSet of {@code shards} Ready pods; no operator yet.
     * {@code engines} may be null for tests of the operator itself (every engine pod is then unreachable).
     */
    public static OperatorHarness kubernetes(EngineCluster engines, int shards) throws IOException {
        // CRUD for everything, plus canned answers where CRUD cannot answer (the mixed dispatcher tries those first)
        Map<ServerRequest, Queue<ServerResponse>> canned = new HashMap<>();
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), canned,
                new KubernetesMixedDispatcher(canned), false);
        server.init();
        allowLeases(server);
        KubernetesClient client = server.createClient();
        OperatorHarness h = new OperatorHarness(server, client, engines);
        try {
            h.loadCrds();
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
                    .create();
            h.statefulSet(shards);
            for (int shard = 0; shard < shards; shard++) {
                h.pod(shard, true);
            }
        } catch (RuntimeException | IOException e) {
            h.close();
            throw e;
        }
        return h;
    }

    /**
     * Leader election first asks the API server whether it may use Leases (a SelfSubjectRulesReview, which CRUD mode
     * cannot answer): say yes, as the chart's RBAC does.
     */
    private static void allowLeases(KubernetesMockServer server) {
        SelfSubjectRulesReview review = new SelfSubjectRulesReviewBuilder()
                .withNewMetadata().endMetadata()
                .withNewStatus().withIncomplete(false)
                .addNewResourceRule().withApiGroups("coordination.k8s.io").withResources("leases")
                .withVerbs("get", "list", "watch", "create", "update", "patch").endResourceRule()
                .endStatus().build();
        server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
                .andReturn(201, review).always();
    }

    /** {@link #kubernetes} and the operator started on it (LEADER_ELECTION=false, RECONCILE_INTERVAL=5s). */
    public static OperatorHarness start(EngineCluster engines) throws IOException {
        OperatorHarness h = kubernetes(engines, engines.shards());
        try {
            h.startOperator(Map.of());
        } catch (RuntimeException e) {
            h.close();
            throw e;
        }
        return h;
    }

    /** The operator's environment in tests; {@code env} adds or replaces variables. */
    public Map<String, String> operatorEnv(Map<String, String> env) {
        Map<String, String> e = new LinkedHashMap<>();
        e.put("POD_NAMESPACE", NAMESPACE);
        e.put("POD_NAME", "bourse-operator-0");
        e.put("WATCH_NAMESPACE", NAMESPACE);
        e.put("ENGINE_STATEFULSET", STATEFULSET);
        e.put("INTERNAL_TOKEN", EngineCluster.INTERNAL_TOKEN);
        e.put("OPERATOR_HTTP_PORT", "0");
        e.put("LEADER_ELECTION", "false");
        e.put("RECONCILE_INTERVAL", "5s");
        e.putAll(env);
        return e;
    }

    /** Starts the real operator (stopping a running one first). */
    public BourseOperator startOperator(Map<String, String> env) {
        stopOperator();
        OperatorConfig config = OperatorConfig.fromEnvironment(operatorEnv(env)::get);
        operator = BourseOperator.builder(config, client)
                .addresses(addresses())
                .overrides(withoutServerSideApply())
                .exitOnLostLeadership(false)
                .start();
        return operator;
    }

    /** Stops the operator (as a SIGTERM would); resources and engines stay. */
    public void stopOperator() {
        if (operator != null) {
            operator.close();
            operator = null;
        }
    }

    /** Shard {@code n} answers on the engine cluster's port {@code n}; without engines every pod is unreachable. */
    public PodAddresses addresses() {
        if (engines == null) {
            return (namespace, pod, shard) -> java.net.URI.create("http://127.0.0.1:9");
        }
        return (namespace, pod, shard) -> engines.address(shard);
    }

    /** The settings ENVIRONMENT.md prescribes for the mock API server, which has no server-side apply. */
    public static Consumer<ConfigurationServiceOverrider> withoutServerSideApply() {
        return o -> o.withUseSSAToPatchPrimaryResource(false)
                .withSSABasedCreateUpdateMatchForDependentResources(false)
                .withDefaultNonSSAResource(Set.of(Job.class, StatefulSet.class))
                .withCloseClientOnStop(false);
    }

    private void loadCrds() throws IOException {
        Path dir = Paths.get(System.getProperty("bourse.repo.root", "..")).resolve("crds");
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yml")).sorted().toList()) {
                try (InputStream in = Files.newInputStream(f)) {
                    CustomResourceDefinition crd = client.getKubernetesSerialization().unmarshal(in,
                            CustomResourceDefinition.class);
                    client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
                }
            }
        }
    }

    /**
     * The engine StatefulSet with {@code replicas} shards (OnDelete, as the chart deploys it), at update revision
     * {@value #FIRST_REVISION}. With engines, its container carries their database settings, as the chart's does, so a
     * reconciliation Job copied from it reaches their database.
     */
    public StatefulSet statefulSet(int replicas) {
        List<EnvVar> env = engines == null ? List.of() : List.of(new EnvVar("DB_URL", engines.databaseUrl(), null),
                new EnvVar("DB_USER", EngineCluster.PG_USER, null), new EnvVar("DB_PASSWORD", "", null));
        StatefulSet sts = new StatefulSetBuilder()
                .withNewMetadata().withName(STATEFULSET).withNamespace(NAMESPACE).addToLabels("app", STATEFULSET).endMetadata()
                .withNewSpec()
                .withReplicas(replicas)
                .withServiceName(STATEFULSET)
                .withNewSelector().addToMatchLabels("app", STATEFULSET).endSelector()
                .withNewUpdateStrategy().withType("OnDelete").endUpdateStrategy()
                .withNewTemplate().withNewMetadata().addToLabels("app", STATEFULSET).endMetadata()
                .withNewSpec().addNewContainer().withName("engine").withImage(IMAGE + FIRST_REVISION).withArgs("run")
                .withEnv(env).endContainer().endSpec()
                .endTemplate()
                .endSpec()
                .build();
        client.apps().statefulSets().inNamespace(NAMESPACE).resource(sts).createOr(r -> r.update());
        return revisions(replicas, FIRST_REVISION, FIRST_REVISION);
    }

    /** The StatefulSet controller's part: {@code status} with these revisions (retried on a write conflict). */
    private StatefulSet revisions(int replicas, String current, String update) {
        for (int attempt = 0; ; attempt++) {
            StatefulSet s = statefulSet();
            s.setStatus(new StatefulSetStatusBuilder().withReplicas(replicas).withReadyReplicas(replicas)
                    .withCurrentRevision(current).withUpdateRevision(update).build());
            try {
                return client.resource(s).updateStatus();
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt == 20) {
                    throw e;
                }
            }
        }
    }

    /** The engine StatefulSet as the API server has it now. */
    public StatefulSet statefulSet() {
        return client.apps().statefulSets().inNamespace(NAMESPACE).withName(STATEFULSET).require();
    }

    /**
     * What {@code kubectl apply} of a new engine version does to an OnDelete StatefulSet: a new image in the template,
     * and the StatefulSet controller reports {@code revision} as {@code status.updateRevision}; no pod changes (the
     * operator's rollout replaces them). Retried like kubectl when the roller wrote its annotations meanwhile.
     */
    public void rollTo(String revision) {
        for (int attempt = 0; ; attempt++) {
            try {
                client.apps().statefulSets().inNamespace(NAMESPACE).withName(STATEFULSET).edit(s -> {
                    s.getSpec().getTemplate().getSpec().getContainers().get(0).setImage(IMAGE + revision);
                    return s;
                });
                break;
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt == 20) {
                    throw e;
                }
            }
        }
        StatefulSet s = statefulSet();
        revisions(s.getSpec().getReplicas(), s.getStatus().getCurrentRevision(), revision);
    }

    /** The StatefulSet's annotation {@code key} (e.g. the rollout's state), or null. */
    public String annotation(String key) {
        Map<String, String> a = statefulSet().getMetadata().getAnnotations();
        return a == null ? null : a.get(key);
    }

    /**
     * Pod {@code bourse-engine-<shard>} with its Ready condition (the kubelet's part), at the revision it has (a new
     * pod: the StatefulSet's update revision).
     */
    public Pod pod(int shard, boolean ready) {
        Pod existing = client.pods().inNamespace(NAMESPACE).withName(STATEFULSET + "-" + shard).get();
        String revision = existing != null && existing.getMetadata().getLabels() != null
                && existing.getMetadata().getLabels().containsKey(REVISION_LABEL)
                ? existing.getMetadata().getLabels().get(REVISION_LABEL)
                : statefulSet().getStatus().getUpdateRevision();
        return pod(shard, revision, ready);
    }

    /**
     * Pod {@code bourse-engine-<shard>} as the StatefulSet controller creates it from {@code revision} (owned by the
     * StatefulSet, labelled {@code controller-revision-hash}), with its Ready condition.
     */
    public Pod pod(int shard, String revision, boolean ready) {
        StatefulSet sts = statefulSet();
        Pod pod = new PodBuilder()
                .withNewMetadata().withName(STATEFULSET + "-" + shard).withNamespace(NAMESPACE)
                .addToLabels("app", STATEFULSET)
                .addToLabels("statefulset.kubernetes.io/pod-name", STATEFULSET + "-" + shard)
                .addToLabels(REVISION_LABEL, revision)
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("StatefulSet")
                        .withName(STATEFULSET).withUid(sts.getMetadata().getUid()).withController(true).build())
                .endMetadata()
                .withNewSpec().addNewContainer().withName("engine").withImage(IMAGE + revision).endContainer().endSpec()
                .withNewStatus().withPhase("Running").withPodIP("127.0.0.1")
                .withConditions(new PodConditionBuilder().withType("Ready").withStatus(ready ? "True" : "False")
                        .withLastTransitionTime(Instant.now().toString()).build())
                .endStatus()
                .build();
        return client.pods().inNamespace(NAMESPACE).resource(pod).createOr(r -> r.update());
    }

    /** Pod {@code bourse-engine-<shard>}, or null. */
    public Pod pod(int shard) {
        return client.pods().inNamespace(NAMESPACE).withName(STATEFULSET + "-" + shard).get();
    }

    // ------------------------------------------------------------------ the test as the cluster's controllers

    /**
     * Plays the kubelet for reconciliation Jobs from now on: each Job's container is the REAL {@code reconcile}
     * command of the engine jar with the Job's environment (copied by the operator from the StatefulSet: the
     * engines' database). Stopped by {@link #close}.
     */
    public JobKubelet reconciliationJobs() {
        JobKubelet kubelet = new JobKubelet(client, EngineJar::run);
        closeFirst.add(0, kubelet);
        return kubelet;
    }

    /** Records what happens to switches and runs from now on ({@link Timeline}); stopped by {@link #close}. */
    public Timeline timeline() {
        Timeline t = Timeline.record(client, NAMESPACE);
        closeFirst.add(0, t);
        return t;
    }

    /**
     * Replaces engine pods the operator deletes from now on ({@link EngineKubelet}), writing to {@code timeline};
     * stopped by {@link #close}.
     */
    public EngineKubelet engineKubelet(Timeline timeline) {
        EngineKubelet k = EngineKubelet.start(this, timeline);
        closeFirst.add(0, k);
        return k;
    }

    // ------------------------------------------------------------------ resources

    public <T extends HasMetadata> T create(T resource) {
        resource.getMetadata().setNamespace(NAMESPACE);
        return client.resource(resource).create();
    }

    public <T extends HasMetadata> T get(Class<T> type, String name) {
        return client.resources(type).inNamespace(NAMESPACE).withName(name).get();
    }

    /** Changes a resource's spec (the API server bumps its generation). */
    public <T extends HasMetadata> T edit(Class<T> type, String name, java.util.function.UnaryOperator<T> change) {
        return client.resources(type).inNamespace(NAMESPACE).withName(name).edit(change);
    }

    public <T extends HasMetadata> void delete(Class<T> type, String name) {
        client.resources(type).inNamespace(NAMESPACE).withName(name).delete();
    }

    /** Waits until the resource is gone (its finalizer removed). */
    public <T extends HasMetadata> void awaitGone(Class<T> type, String name, Duration timeout) {
        await("deleted " + type.getSimpleName() + " " + name, timeout, () -> get(type, name) == null);
    }

    /**
     * Waits until condition {@code type} of the resource has {@code status} for the resource's current generation
     * (what {@code kubectl wait --for=condition=X} checks); returns the resource.
     */
    public <T extends CustomResource<?, ?>> T awaitCondition(Class<T> resourceType, String name, String type,
                                                             String status, Duration timeout) {
        return awaitResource(resourceType, name, type + "=" + status, timeout, r -> {
            Condition c = Conditions.find(conditions(r), type).orElse(null);
            return c != null && status.equals(c.getStatus()) && c.getObservedGeneration() != null
                    && c.getObservedGeneration().equals(r.getMetadata().getGeneration());
        });
    }

    /** Waits until {@code test} holds for the resource; returns it. */
    public <T extends HasMetadata> T awaitResource(Class<T> type, String name, String what, Duration timeout,
                                                   Predicate<T> test) {
        @SuppressWarnings("unchecked")
        T[] last = (T[]) new HasMetadata[1];
        await(type.getSimpleName() + " " + name + ": " + what, timeout, () -> {
            T r = get(type, name);
            last[0] = r;
            return r != null && test.test(r);
        }, () -> last[0] == null ? "absent" : client.getKubernetesSerialization().asYaml(last[0]));
        return last[0];
    }

    @SuppressWarnings("unchecked")
    static List<Condition> conditions(HasMetadata r) {
        Object status = ((CustomResource<?, ?>) r).getStatus();
        if (status == null) {
            return List.of();
        }
        try {
            return (List<Condition>) status.getClass().getField("conditions").get(status);
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException(r.getKind() + " has no status.conditions", e);
        }
    }

    /** Events recorded on the named object, oldest first. */
    public List<Event> events(String involvedName) {
        return client.v1().events().inNamespace(NAMESPACE).list().getItems().stream()
                .filter(e -> e.getInvolvedObject() != null && involvedName.equals(e.getInvolvedObject().getName()))
                .sorted(java.util.Comparator.comparing(e -> e.getMetadata().getName()))
                .toList();
    }

    public static void await(String what, Duration timeout, Callable<Boolean> test) {
        await(what, timeout, test, () -> "");
    }

    /** Polls {@code test} every 100 ms until true; fails with {@code state} after {@code timeout}. */
    public static void await(String what, Duration timeout, Callable<Boolean> test, Callable<String> state) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception lastError = null;
        while (true) {
            try {
                if (Boolean.TRUE.equals(test.call())) {
                    return;
                }
                lastError = null;
            } catch (Exception e) {
                lastError = e;
            }
            if (System.nanoTime() > deadline) {
                String s;
                try {
                    s = state.call();
                } catch (Exception e) {
                    s = e.toString();
                }
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what
                        + (lastError == null ? "" : " (last error: " + lastError + ")") + "\n" + s, lastError);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }

    public KubernetesClient client() {
        return client;
    }

    public EngineCluster engines() {
        return engines;
    }

    public BourseOperator operator() {
        return operator;
    }

    @Override
    public void close() {
        for (AutoCloseable c : closeFirst) {
            try {
                c.close();
            } catch (Exception e) {
                System.err.println("could not stop " + c + ": " + e);
            }
        }
        stopOperator();
        client.close();
        server.destroy();
    }
}
