package dev.bourse.operator.harness;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Plays the StatefulSet controller and the kubelet for the engine pods of an {@link OperatorHarness}, with the real
 * engine processes of its {@link EngineCluster}: when pod {@code bourse-engine-N} is deleted (by the operator's
 * rollout), it reads the shard's books, kills engine N (SIGKILL: a drained shard must survive even a crash), creates
 * the pod again at the StatefulSet's {@code status.updateRevision}, not Ready, starts engine N again on its port and
 * database (it recovers from PostgreSQL) and marks the pod Ready once the engine is. Restarts run one at a time, off
 * the watch thread.
 *
 * <p>Timeline entries: {@code pod- NAME}, {@code engine-N killed}, {@code pod+ NAME@REVISION},
 * {@code engine-N recovered}, {@code pod ready NAME}. A deletion while another engine pod is not Ready, or its engine
 * does not answer as recovered, lands in {@link #twoDown}; anything that went wrong in a restart in {@link #failures}.
 */
public final class EngineKubelet implements AutoCloseable {
    /** One restart: the shard's canonical books ({@code GET /internal/v1/books}) before the kill and after recovery. */
    public record Restart(int shard, String revision, String booksBefore, String booksAfter) {
    }

    private final OperatorHarness k8s;
    private final EngineCluster engines;
    private final Timeline timeline;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "engine-kubelet");
        t.setDaemon(true);
        return t;
    });
    private Watch watch;
    private volatile boolean closed;
    public final List<Restart> restarts = new CopyOnWriteArrayList<>();
    public final List<String> twoDown = new CopyOnWriteArrayList<>();
    public final List<String> failures = new CopyOnWriteArrayList<>();

    private EngineKubelet(OperatorHarness k8s, Timeline timeline) {
        this.k8s = k8s;
        this.engines = k8s.engines();
        this.timeline = timeline;
    }

    static EngineKubelet start(OperatorHarness k8s, Timeline timeline) {
        if (k8s.engines() == null) {
            throw new IllegalStateException("an engine kubelet needs the harness's engine processes");
        }
        EngineKubelet k = new EngineKubelet(k8s, timeline);
        k.watch = k8s.client().pods().inNamespace(OperatorHarness.NAMESPACE).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                if (action == Action.DELETED) {
                    k.deleted(pod.getMetadata().getName());
                }
            }

            @Override
            public void onClose(WatcherException cause) {
                if (cause != null && !k.closed) {
                    k.failures.add("pod watch closed: " + cause);
                }
            }
        });
        return k;
    }

    private void deleted(String podName) {
        String prefix = OperatorHarness.STATEFULSET + "-";
        if (closed || !podName.startsWith(prefix)) {
            return;
        }
        int shard;
        try {
            shard = Integer.parseInt(podName.substring(prefix.length()));
        } catch (NumberFormatException e) {
            return;
        }
        if (shard >= engines.shards()) {
            return;
        }
        timeline.add("pod- " + podName);
        checkOthersUp(shard);
        worker.submit(() -> replace(shard));
    }

    /** The pod's container stops, the StatefulSet controller recreates the pod, the new container starts. */
    private void replace(int shard) {
        String podName = OperatorHarness.STATEFULSET + "-" + shard;
        try {
            String before = engines.engine(shard).get("/internal/v1/books").body();
            engines.kill(shard);
            timeline.add("engine-" + shard + " killed");
            String revision = k8s.statefulSet().getStatus().getUpdateRevision();
            timeline.add("pod+ " + podName + "@" + revision);
            k8s.pod(shard, revision, false);
            engines.restart(shard);
            timeline.add("engine-" + shard + " recovered");
            String after = engines.engine(shard).get("/internal/v1/books").body();
            restarts.add(new Restart(shard, revision, before, after));
            timeline.add("pod ready " + podName);
            k8s.pod(shard, revision, true);
        } catch (Exception e) {
            if (!closed) {
                failures.add("restart of " + podName + ": " + e);
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Rolling {@code shard} now is safe only if every other shard's pod is Ready and its engine serves. */
    private void checkOthersUp(int shard) {
        for (int other = 0; other < engines.shards(); other++) {
            if (other == shard) {
                continue;
            }
            Pod p = k8s.pod(other);
            boolean ready = p != null && p.getStatus() != null && p.getStatus().getConditions().stream()
                    .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
            String engine;
            try {
                JsonNode s = engines.engine(other).isAlive() ? engines.status(other) : null;
                engine = s != null && s.path("recovered").asBoolean() && s.path("ready").asBoolean() ? null
                        : "engine " + other + (s == null ? " down" : " not serving: " + s);
            } catch (Exception e) {
                engine = "engine " + other + " did not answer: " + e;
            }
            if (!ready || engine != null) {
                twoDown.add("pod " + OperatorHarness.STATEFULSET + "-" + shard + " deleted while "
                        + (ready ? "" : "pod " + OperatorHarness.STATEFULSET + "-" + other + " was not Ready ")
                        + (engine == null ? "" : engine));
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        if (watch != null) {
            watch.close();
        }
        worker.shutdownNow();
        try {
            worker.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
