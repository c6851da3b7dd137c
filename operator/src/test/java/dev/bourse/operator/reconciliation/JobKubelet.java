package dev.bourse.operator.reconciliation;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Plays the Job controller and the kubelet for reconciliation Jobs: for every new Job it creates the pod (labels and
 * annotations from the template), marks the Job started, runs the container through {@code runner}, and then writes
 * what Kubernetes would: the container's terminated state (exit code, termination message) in the pod's status, and
 * the Job's {@code Complete} or {@code Failed} condition.
 */
public final class JobKubelet implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(JobKubelet.class.getName());

    /** How the container ended. */
    public record Exit(int code, String terminationMessage) {
    }

    private final KubernetesClient client;
    private final Function<Job, Exit> runner;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService containers = Executors.newCachedThreadPool();
    private volatile CountDownLatch hold = new CountDownLatch(0);
    private volatile boolean closed;
    /** Jobs started so far (a second Job for one run would show here). */
    public final AtomicInteger started = new AtomicInteger();

    public JobKubelet(KubernetesClient client, Function<Job, Exit> runner) {
        this.client = client;
        this.runner = runner;
        loop.scheduleWithFixedDelay(this::scan, 0, 100, TimeUnit.MILLISECONDS);
    }

    /** Jobs started from now on keep running until {@link #release()}. */
    public void hold() {
        hold = new CountDownLatch(1);
    }

    public void release() {
        hold.countDown();
    }

    private void scan() {
        try {
            for (Job job : client.batch().v1().jobs().inAnyNamespace()
                    .withLabel("app.kubernetes.io/component", ReconcileJob.COMPONENT).list().getItems()) {
                if (seen.add(job.getMetadata().getUid())) {
                    start(job);
                }
            }
        } catch (RuntimeException e) {
            if (!closed) {
                LOG.log(Level.WARNING, "kubelet scan failed", e);
            }
        }
    }

    private void start(Job job) {
        // the gate is taken before the Job counts as started: a test that waits for started and then releases
        // always opens the gate this Job waits on
        CountDownLatch gate = hold;
        started.incrementAndGet();
        String ns = job.getMetadata().getNamespace();
        Map<String, String> labels = new HashMap<>(job.getSpec().getTemplate().getMetadata().getLabels());
        labels.put("batch.kubernetes.io/job-name", job.getMetadata().getName());
        Pod pod = client.pods().inNamespace(ns).resource(new PodBuilder()
                .withNewMetadata()
                    .withName(job.getMetadata().getName() + "-" + Long.toString(System.nanoTime() % 100_000, 36))
                    .withNamespace(ns)
                    .withLabels(labels)
                    .withAnnotations(job.getSpec().getTemplate().getMetadata().getAnnotations())
                    .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("batch/v1").withKind("Job")
                            .withName(job.getMetadata().getName()).withUid(job.getMetadata().getUid())
                            .withController(true).build())
                .endMetadata()
                .withSpec(job.getSpec().getTemplate().getSpec())
                .build()).create();
        pod.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Running")
                .withContainerStatuses(new ContainerStatusBuilder().withName(ReconcileJob.CONTAINER)
                        .withNewState().withNewRunning().withStartedAt(now()).endRunning().endState().build())
                .build());
        pod = client.resource(pod).updateStatus();
        Job running = client.batch().v1().jobs().inNamespace(ns).withName(job.getMetadata().getName()).get();
        running.setStatus(new io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder()
                .withStartTime(now()).withActive(1).build());
        client.resource(running).updateStatus();
        Pod started = pod;
        containers.submit(() -> {
            try {
                gate.await();
                finish(job, started, runner.apply(job));
            } catch (Exception e) {
                if (!closed) {
                    LOG.log(Level.WARNING, "kubelet could not run " + job.getMetadata().getName(), e);
                }
            }
        });
    }

    private void finish(Job job, Pod pod, Exit exit) {
        String ns = job.getMetadata().getNamespace();
        String end = now();
        Pod current = client.pods().inNamespace(ns).withName(pod.getMetadata().getName()).get();
        current.getStatus().setPhase(exit.code() == 0 ? "Succeeded" : "Failed");
        current.getStatus().setContainerStatuses(List.of(new ContainerStatusBuilder()
                .withName(ReconcileJob.CONTAINER)
                .withNewState().withNewTerminated()
                    .withExitCode(exit.code())
                    .withReason(exit.code() == 0 ? "Completed" : "Error")
                    .withMessage(exit.terminationMessage())
                    .withFinishedAt(end)
                .endTerminated().endState()
                .build()));
        client.resource(current).updateStatus();

        Job done = client.batch().v1().jobs().inNamespace(ns).withName(job.getMetadata().getName()).get();
        var status = done.getStatus();
        status.setActive(0);
        if (exit.code() == 0) {
            status.setSucceeded(1);
            status.setCompletionTime(end);
            status.setConditions(List.of(new JobConditionBuilder().withType("Complete").withStatus("True")
                    .withLastTransitionTime(end).build()));
        } else {
            status.setFailed(1);
            status.setConditions(List.of(new JobConditionBuilder().withType("Failed").withStatus("True")
                    .withReason("BackoffLimitExceeded").withMessage("Job has reached the specified backoff limit")
                    .withLastTransitionTime(end).build()));
        }
        client.resource(done).updateStatus();
    }

    private static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    @Override
    public void close() {
        closed = true;
        release();
        loop.shutdownNow();
        containers.shutdownNow();
        try {
            loop.awaitTermination(5, TimeUnit.SECONDS);
            containers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
