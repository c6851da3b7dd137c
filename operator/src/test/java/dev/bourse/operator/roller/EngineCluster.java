package dev.bourse.operator.roller;

import dev.bourse.operator.assembly.EngineRolloutReconciler;
import dev.bourse.operator.assembly.LedgerReconciliationReconciler;
import dev.bourse.operator.model.Conditions;
import dev.bourse.operator.model.LedgerReconciliation;
import dev.bourse.operator.model.TradingSwitch;
import dev.bourse.operator.model.TradingSwitchStatus;
import dev.bourse.operator.reconciliation.JobKubelet;
import dev.bourse.operator.reconciliation.MockKube;
import dev.bourse.operator.reconciliation.ReconciliationSettings;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A mock cluster with an engine StatefulSet and everything around the roller played by the test: the StatefulSet
 * controller and kubelet (a deleted pod comes back at the update revision, Ready a moment later), operator-a's switch
 * reconciler (a drain switch reports {@code Drained=True} while {@link #drainCompletes} is on), the engines
 * ({@link FakeProbe}), and the Job controller for reconciliation runs ({@link JobKubelet}). Everything that happens
 * is written to {@link #log} in order.
 */
final class EngineCluster implements AutoCloseable {
    static final String NS = "bourse";
    static final String STS = "bourse-engine";
    static final String R1 = STS + "-r1";
    static final String R2 = STS + "-r2";
    private static final Logger LOG = Logger.getLogger(EngineCluster.class.getName());

    final MockKube kube = MockKube.start();
    final KubernetesClient client = kube.client;
    /** The running operator's registry (a restarted operator, like a new process, starts with a new one). */
    volatile SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final FakeProbe probe = new FakeProbe();
    final JobKubelet kubelet;
    /** What happened, in order: {@code switch+ NAME}, {@code switch- NAME}, {@code pod- NAME}, {@code pod+ NAME@REV}, {@code run+ NAME}. */
    final List<String> log = new CopyOnWriteArrayList<>();
    /** Deletions that happened while another engine pod was missing or not Ready. */
    final List<String> twoDown = new CopyOnWriteArrayList<>();
    volatile boolean drainCompletes = true;

    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
    private final Map<String, Long> createdAt = new ConcurrentHashMap<>();
    private final List<Watch> watches = new ArrayList<>();
    private final int replicas;
    private Operator operator;
    private int operatorsStarted;

    EngineCluster(int replicas, JobKubelet.Exit reconcileExit) {
        this.replicas = replicas;
        this.kubelet = new JobKubelet(client, job -> reconcileExit);
        client.resource(new StatefulSetBuilder()
                .withNewMetadata().withName(STS).withNamespace(NS).endMetadata()
                .withNewSpec()
                    .withReplicas(replicas)
                    .withNewSelector().withMatchLabels(Map.of("app", STS)).endSelector()
                    .withNewUpdateStrategy().withType("OnDelete").endUpdateStrategy()
                    .withNewTemplate()
                        .withNewMetadata().withLabels(Map.of("app", STS)).endMetadata()
                        .withNewSpec().addNewContainer().withName("engine").withImage("engine:1").withArgs("run")
                            .endContainer().endSpec()
                    .endTemplate()
                .endSpec()
                .build()).create();
        setRevisions(R1, R1);
        for (int i = 0; i < replicas; i++) {
            createPod(i, R1, true);
        }
        watches.add(client.pods().inNamespace(NS).watch(new Recorder<>((action, pod) -> {
            if (action == Watcher.Action.DELETED) {
                log.add("pod- " + pod.getMetadata().getName());
                checkOthersUp(pod.getMetadata().getName());
            } else if (action == Watcher.Action.ADDED && pod.getMetadata().getName().startsWith(STS)) {
                log.add("pod+ " + pod.getMetadata().getName() + "@" + EnginePods.revision(pod));
            }
        })));
        watches.add(client.resources(TradingSwitch.class).inNamespace(NS).watch(new Recorder<>((action, sw) -> {
            if (action == Watcher.Action.ADDED) {
                log.add("switch+ " + sw.getMetadata().getName());
            } else if (action == Watcher.Action.DELETED) {
                log.add("switch- " + sw.getMetadata().getName());
            }
        })));
        watches.add(client.resources(LedgerReconciliation.class).inNamespace(NS).watch(new Recorder<>((action, r) -> {
            if (action == Watcher.Action.ADDED) {
                log.add("run+ " + r.getMetadata().getName());
            }
        })));
        loop.scheduleWithFixedDelay(this::tick, 50, 50, TimeUnit.MILLISECONDS);
    }

    /** Starts (or restarts) the operator with both reconcilers of this feature. */
    void startOperator(Duration stepTimeout) {
        stopOperator();
        if (operatorsStarted++ > 0) {
            registry = new SimpleMeterRegistry();
        }
        SimpleMeterRegistry registry = this.registry;
        RolloutSettings settings = new RolloutSettings(STS, stepTimeout, Duration.ofMillis(100));
        operator = kube.operator(op -> {
            op.register(new LedgerReconciliationReconciler(new ReconciliationSettings(STS, "engine", 600), registry));
            new EngineRolloutReconciler(settings, probe, registry).registerWith(op);
        });
    }

    void stopOperator() {
        if (operator != null) {
            operator.stop();
            operator = null;
        }
    }

    /** What a {@code kubectl apply} of a new engine version does: a new template, a new update revision. */
    void rollTo(String revision) {
        log.clear(); // what happened before (the watches' initial state) is not part of the rollout
        edit(s -> s.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("engine:" + revision));
        setRevisions(R1, revision);
    }

    /** Edits the StatefulSet like kubectl: on a conflict (the roller wrote its annotations meanwhile), again. */
    void edit(java.util.function.Consumer<StatefulSet> change) {
        for (int attempt = 0; ; attempt++) {
            try {
                client.apps().statefulSets().inNamespace(NS).withName(STS).edit(s -> {
                    change.accept(s);
                    return s;
                });
                return;
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 20) {
                    throw e;
                }
            }
        }
    }

    StatefulSet sts() {
        return client.apps().statefulSets().inNamespace(NS).withName(STS).get();
    }

    String annotation(String key) {
        Map<String, String> a = sts().getMetadata().getAnnotations();
        return a == null ? null : a.get(key);
    }

    Pod pod(int ordinal) {
        return client.pods().inNamespace(NS).withName(STS + "-" + ordinal).get();
    }

    List<String> entries(String prefix) {
        return log.stream().filter(e -> e.startsWith(prefix)).toList();
    }

    private void setRevisions(String current, String update) {
        for (int attempt = 0; ; attempt++) {
            StatefulSet s = sts();
            s.setStatus(new StatefulSetStatusBuilder().withReplicas(replicas).withCurrentRevision(current)
                    .withUpdateRevision(update).build());
            try {
                client.resource(s).updateStatus();
                return;
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 20) {
                    throw e;
                }
            }
        }
    }

    private void createPod(int ordinal, String revision, boolean ready) {
        StatefulSet s = sts();
        Pod pod = client.resource(new PodBuilder()
                .withNewMetadata()
                    .withName(STS + "-" + ordinal).withNamespace(NS)
                    .withLabels(Map.of("app", STS, EnginePods.REVISION_LABEL, revision))
                    .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("StatefulSet")
                            .withName(STS).withUid(s.getMetadata().getUid()).withController(true).build())
                .endMetadata()
                .withNewSpec().addNewContainer().withName("engine").withImage("engine").endContainer().endSpec()
                .build()).create();
        setReady(pod, ready);
        createdAt.put(pod.getMetadata().getName(), System.nanoTime());
    }

    private void setReady(Pod pod, boolean ready) {
        pod.setStatus(new PodStatusBuilder().withPhase("Running").withConditions(new PodConditionBuilder()
                .withType("Ready").withStatus(ready ? "True" : "False").build()).build());
        client.resource(pod).updateStatus();
    }

    /** One round of the StatefulSet controller, the kubelet and the switch reconciler. */
    private void tick() {
        try {
            StatefulSet s = sts();
            for (int i = 0; i < replicas; i++) {
                Pod p = pod(i);
                if (p == null) {
                    createPod(i, s.getStatus().getUpdateRevision(), false);
                } else if (!EnginePods.ready(p)
                        && System.nanoTime() - createdAt.getOrDefault(p.getMetadata().getName(), 0L) > 300_000_000L) {
                    setReady(p, true); // the engine started and recovered: readiness probe passes
                }
            }
            if (drainCompletes) {
                for (TradingSwitch sw : client.resources(TradingSwitch.class).inNamespace(NS).list().getItems()) {
                    long gen = sw.getMetadata().getGeneration() == null ? 0 : sw.getMetadata().getGeneration();
                    if (Boolean.TRUE.equals(sw.getSpec().drain) && (sw.getStatus() == null
                            || !Conditions.isTrue(sw.getStatus().conditions, TradingSwitch.DRAINED, gen))) {
                        TradingSwitchStatus st = sw.getStatus() == null ? new TradingSwitchStatus() : sw.getStatus();
                        st.observedGeneration = gen;
                        st.conditions = Conditions.set(st.conditions, TradingSwitch.APPLIED, Conditions.TRUE, "Applied",
                                "every shard applied it", gen);
                        st.conditions = Conditions.set(st.conditions, TradingSwitch.DRAINED, Conditions.TRUE, "Drained",
                                "queues empty", gen);
                        sw.setStatus(st);
                        client.resource(sw).updateStatus();
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "tick", e); // a conflict with the operator's writes: the next tick retries
        }
    }

    private void checkOthersUp(String deleted) {
        for (int i = 0; i < replicas; i++) {
            String name = STS + "-" + i;
            if (!name.equals(deleted)) {
                Pod other = pod(i);
                if (other == null || !EnginePods.ready(other)) {
                    twoDown.add(deleted + " deleted while " + name + " was " + (other == null ? "missing" : "not Ready"));
                }
            }
        }
    }

    @Override
    public void close() {
        stopOperator();
        watches.forEach(Watch::close);
        loop.shutdownNow();
        kubelet.close();
        kube.close();
    }

    /** The engines: shard 1 runs ETH-USDT and SOL-USDT, shard 0 BTC-USDT, shard 2 (if any) nothing. */
    static final class FakeProbe implements ShardProbe {
        final List<Integer> symbolCalls = new CopyOnWriteArrayList<>();

        @Override
        public List<String> symbols(StatefulSet engine, int shard) {
            symbolCalls.add(shard);
            return switch (shard) {
                case 0 -> List.of("BTC-USDT");
                case 1 -> List.of("SOL-USDT", "ETH-USDT");
                default -> List.of();
            };
        }

        @Override
        public boolean recovered(Pod pod) {
            return EnginePods.ready(pod);
        }
    }

    /** A watcher that hands events to a callback. */
    private record Recorder<T>(java.util.function.BiConsumer<Watcher.Action, T> onEvent) implements Watcher<T> {
        @Override
        public void eventReceived(Action action, T resource) {
            onEvent.accept(action, resource);
        }

        @Override
        public void onClose(WatcherException cause) {
        }
    }
}
