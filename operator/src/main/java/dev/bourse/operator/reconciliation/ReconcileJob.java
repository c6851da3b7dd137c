package dev.bourse.operator.reconciliation;

import dev.bourse.operator.model.BourseResource;
import dev.bourse.operator.model.LedgerReconciliation;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The Job of one reconciliation run: the engine's image, environment and secrets (the database settings live there),
 * running {@code reconcile --json --summary-file /dev/termination-log}. One attempt only ({@code backoffLimit: 0}):
 * a second attempt would store a second report for the same run, and a failure must be looked at, not retried.
 */
public final class ReconcileJob {
    public static final String CONTAINER = "reconcile";
    public static final String TERMINATION_LOG = "/dev/termination-log";
    /**
     * The engine's launcher without its subcommand. The chart's default puts the launcher in {@code command} and
     * {@code run} in {@code args}; its {@code shardIdFrom: hostname} mode wraps everything in a shell that derives
     * SHARD_ID from the pod name — meaningless for a Job — so the launcher is then taken from {@code args}
     * (without the trailing {@code run}) and the wrapper is left out.
     */
    static List<String> launcher(Container source) {
        List<String> command = source.getCommand() == null ? List.of() : source.getCommand();
        List<String> args = source.getArgs() == null ? List.of() : source.getArgs();
        boolean shellWrapper = !command.isEmpty() && command.get(0).endsWith("sh") && command.contains("-c");
        if (shellWrapper && args.size() > 1 && "run".equals(args.get(args.size() - 1))) {
            return List.copyOf(args.subList(0, args.size() - 1));
        }
        return command;
    }

    public static final List<String> ARGS = List.of("reconcile", "--json", "--summary-file", TERMINATION_LOG);

    public static final String COMPONENT = "ledger-reconciliation";
    /** On the Job and its pod: the Job's name, so the pod is found without relying on the Job controller's labels. */
    public static final String JOB_LABEL = BourseResource.PREFIX + "reconciliation-job";
    /** The run's name (an annotation: a run name may be longer than a label value may be). */
    public static final String RUN_ANNOTATION = BourseResource.PREFIX + "reconciliation";
    public static final String COMPONENT_SELECTOR = "app.kubernetes.io/component=" + COMPONENT;

    private static final int MAX_NAME = 63;
    private static final String PREFIX = "lrec-";

    private ReconcileJob() {
    }

    /**
     * The Job's name: {@code lrec-<run>}, or a cut name with a hash of the run's name when that would exceed 63
     * characters (the Job controller puts the name in a label of the pod).
     */
    public static String name(LedgerReconciliation run) {
        String runName = run.getMetadata().getName();
        String full = PREFIX + runName;
        if (full.length() <= MAX_NAME) {
            return full;
        }
        String hash = sha256(runName).substring(0, 10);
        String head = full.substring(0, MAX_NAME - hash.length() - 1).replaceAll("[-.]+$", "");
        return head + "-" + hash;
    }

    /** Builds the Job; throws {@link IllegalStateException} when the engine StatefulSet has no container to copy. */
    public static Job build(LedgerReconciliation run, StatefulSet engine, ReconciliationSettings settings) {
        PodSpec enginePod = engine.getSpec().getTemplate().getSpec();
        Container source = engineContainer(enginePod, settings.engineContainer());
        String jobName = name(run);

        List<VolumeMount> mounts = new ArrayList<>();
        List<Volume> volumes = new ArrayList<>();
        Map<String, Volume> byName = enginePod.getVolumes() == null ? Map.of() : enginePod.getVolumes().stream()
                .collect(Collectors.toMap(Volume::getName, v -> v, (a, b) -> a, LinkedHashMap::new));
        if (source.getVolumeMounts() != null) {
            for (VolumeMount m : source.getVolumeMounts()) {
                Volume v = byName.get(m.getName());
                if (v != null && copyable(v)) {
                    mounts.add(m);
                    if (volumes.stream().noneMatch(x -> x.getName().equals(v.getName()))) {
                        volumes.add(v);
                    }
                }
            }
        }

        Container container = new ContainerBuilder()
                .withName(CONTAINER)
                .withImage(source.getImage())
                .withImagePullPolicy(source.getImagePullPolicy())
                // the image's launcher (the engine container names its subcommand in args, not command)
                .withCommand(launcher(source))
                .withArgs(ARGS)
                .withEnv(source.getEnv())
                .withEnvFrom(source.getEnvFrom())
                .withResources(source.getResources())
                .withSecurityContext(source.getSecurityContext())
                .withVolumeMounts(mounts)
                .withTerminationMessagePath(TERMINATION_LOG)
                // if the JVM dies before writing the summary, the last log lines still explain why
                .withTerminationMessagePolicy("FallbackToLogsOnError")
                .build();

        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("app.kubernetes.io/name", "bourse");
        labels.put("app.kubernetes.io/component", COMPONENT);
        labels.put("app.kubernetes.io/managed-by", "bourse-operator");
        labels.put(JOB_LABEL, jobName);
        Map<String, String> annotations = Map.of(RUN_ANNOTATION, run.getMetadata().getName());

        Integer deadline = run.getSpec() == null || run.getSpec().activeDeadlineSeconds == null
                ? 900 : run.getSpec().activeDeadlineSeconds;
        return new JobBuilder()
                .withNewMetadata()
                    .withName(jobName)
                    .withNamespace(run.getMetadata().getNamespace())
                    .withLabels(labels)
                    .withAnnotations(annotations)
                    .withOwnerReferences(new OwnerReferenceBuilder()
                            .withApiVersion(HasMetadata.getApiVersion(LedgerReconciliation.class))
                            .withKind(HasMetadata.getKind(LedgerReconciliation.class))
                            .withName(run.getMetadata().getName())
                            .withUid(run.getMetadata().getUid())
                            .withController(true)
                            .withBlockOwnerDeletion(true)
                            .build())
                .endMetadata()
                .withNewSpec()
                    .withBackoffLimit(0)
                    .withActiveDeadlineSeconds(deadline.longValue())
                    .withTtlSecondsAfterFinished(settings.jobTtlSeconds())
                    .withNewTemplate()
                        .withNewMetadata().withLabels(labels).withAnnotations(annotations).endMetadata()
                        .withNewSpec()
                            .withRestartPolicy("Never")
                            // the command reads the database only; it needs no Kubernetes API access
                            .withAutomountServiceAccountToken(false)
                            .withImagePullSecrets(enginePod.getImagePullSecrets())
                            .withSecurityContext(enginePod.getSecurityContext())
                            .withNodeSelector(enginePod.getNodeSelector())
                            .withTolerations(enginePod.getTolerations())
                            .withVolumes(volumes)
                            .withContainers(container)
                        .endSpec()
                    .endTemplate()
                .endSpec()
                .build();
    }

    /** True when {@code job} was made for {@code run} (and not for an earlier run of the same name). */
    public static boolean ownedBy(Job job, LedgerReconciliation run) {
        return job.getMetadata().getOwnerReferences() != null && job.getMetadata().getOwnerReferences().stream()
                .anyMatch(o -> run.getMetadata().getUid() != null && run.getMetadata().getUid().equals(o.getUid()));
    }

    private static Container engineContainer(PodSpec pod, String name) {
        if (pod == null || pod.getContainers() == null || pod.getContainers().isEmpty()) {
            throw new IllegalStateException("the engine StatefulSet has no container to take the image from");
        }
        return pod.getContainers().stream().filter(c -> name.equals(c.getName())).findFirst()
                .orElse(pod.getContainers().get(0));
    }

    /** Volumes that only carry configuration or secrets (a TLS root certificate, say); never a data volume. */
    private static boolean copyable(Volume v) {
        return v.getSecret() != null || v.getConfigMap() != null || v.getProjected() != null || v.getDownwardAPI() != null
                || v.getEmptyDir() != null;
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) { // every JDK has SHA-256
            throw new IllegalStateException(e);
        }
    }
}
