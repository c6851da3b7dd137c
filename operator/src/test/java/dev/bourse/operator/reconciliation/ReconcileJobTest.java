package dev.bourse.operator.reconciliation;

import dev.bourse.operator.model.LedgerReconciliation;
import dev.bourse.operator.model.LedgerReconciliationSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReconcileJobTest {
    private static final ReconciliationSettings SETTINGS = new ReconciliationSettings("bourse-engine", "engine", 3600);

    @Test
    void theJobRunsTheEnginesImageWithItsSettingsOnce() {
        Job job = ReconcileJob.build(run("nightly-2025-06-01", 120), engine(), SETTINGS);
        assertEquals("lrec-nightly-2025-06-01", job.getMetadata().getName());
        assertEquals("bourse", job.getMetadata().getNamespace());
        assertEquals("uid-1", job.getMetadata().getOwnerReferences().get(0).getUid());
        assertEquals("LedgerReconciliation", job.getMetadata().getOwnerReferences().get(0).getKind());
        assertEquals("trading.bourse.dev/v1", job.getMetadata().getOwnerReferences().get(0).getApiVersion());
        assertEquals(0, job.getSpec().getBackoffLimit());
        assertEquals(120L, job.getSpec().getActiveDeadlineSeconds());
        assertEquals(3600, job.getSpec().getTtlSecondsAfterFinished());
        assertEquals("lrec-nightly-2025-06-01", job.getSpec().getTemplate().getMetadata().getLabels()
                .get(ReconcileJob.JOB_LABEL));
        assertEquals("nightly-2025-06-01", job.getSpec().getTemplate().getMetadata().getAnnotations()
                .get(ReconcileJob.RUN_ANNOTATION));

        PodSpec pod = job.getSpec().getTemplate().getSpec();
        assertEquals("Never", pod.getRestartPolicy());
        assertFalse(pod.getAutomountServiceAccountToken());
        assertEquals("regcred", pod.getImagePullSecrets().get(0).getName());
        assertEquals(List.of("db-ca"), pod.getVolumes().stream().map(v -> v.getName()).toList());
        Container c = pod.getContainers().get(0);
        assertEquals("reconcile", c.getName());
        assertEquals("engine:2", c.getImage(), "the engine container, not the sidecar");
        assertEquals(List.of("java", "-jar", "/app/exchange-engine-server.jar"), c.getCommand());
        assertEquals(List.of("reconcile", "--json", "--summary-file", "/dev/termination-log"), c.getArgs());
        assertEquals(List.of("DB_URL", "BOURSE_PROFILE"), c.getEnv().stream().map(EnvVar::getName).toList());
        assertEquals("db-secrets", c.getEnvFrom().get(0).getSecretRef().getName());
        assertEquals("/dev/termination-log", c.getTerminationMessagePath());
        assertEquals("FallbackToLogsOnError", c.getTerminationMessagePolicy());
        assertEquals(List.of("/etc/db-ca"), c.getVolumeMounts().stream().map(m -> m.getMountPath()).toList());
    }

    @Test
    void theHostnameShardWrapperIsLeftOutOfTheJob() {
        Container wrapped = new io.fabric8.kubernetes.api.model.ContainerBuilder()
                .withCommand("/bin/sh", "-c", "export SHARD_ID=\"${HOSTNAME##*-}\"; exec \"$0\" \"$@\"")
                .withArgs("java", "-jar", "/app/exchange-engine-server.jar", "run").build();
        assertEquals(List.of("java", "-jar", "/app/exchange-engine-server.jar"), ReconcileJob.launcher(wrapped));
        Container plain = new io.fabric8.kubernetes.api.model.ContainerBuilder()
                .withCommand("java", "-jar", "/app/exchange-engine-server.jar").withArgs("run").build();
        assertEquals(List.of("java", "-jar", "/app/exchange-engine-server.jar"), ReconcileJob.launcher(plain));
    }

    @Test
    void longRunNamesGiveJobNamesThatFitALabel() {
        String longName = "scheduled-" + "a".repeat(100);
        String a = ReconcileJob.name(run(longName, null));
        String b = ReconcileJob.name(run(longName + "b", null));
        assertEquals(63, a.length(), a);
        assertTrue(a.startsWith("lrec-scheduled-aaa"), a);
        assertTrue(a.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?"), a);
        assertNotEquals(a, b, "distinct runs, distinct Jobs");
        assertEquals(900L, ReconcileJob.build(run("r", null), engine(), SETTINGS).getSpec().getActiveDeadlineSeconds(),
                "the CRD's default when the spec has none");
    }

    @Test
    void anEngineWithoutContainersIsAClearError() {
        StatefulSet empty = new StatefulSetBuilder().withNewSpec().withNewTemplate().withNewSpec().endSpec().endTemplate()
                .endSpec().build();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ReconcileJob.build(run("r", null), empty, SETTINGS));
        assertTrue(e.getMessage().contains("no container"), e.getMessage());
    }

    @Test
    void settingsComeFromTheEnvironment() {
        assertEquals(new ReconciliationSettings("bourse-engine", "engine", 86_400),
                ReconciliationSettings.fromEnvironment(Map.of()));
        assertEquals(new ReconciliationSettings("eng", "main", 60), ReconciliationSettings.fromEnvironment(
                Map.of("ENGINE_STATEFULSET", "eng", "ENGINE_CONTAINER", "main", "RECONCILIATION_JOB_TTL_SECONDS", "60")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ReconciliationSettings.fromEnvironment(Map.of("RECONCILIATION_JOB_TTL_SECONDS", "1d")));
        assertTrue(e.getMessage().contains("RECONCILIATION_JOB_TTL_SECONDS"), e.getMessage());
    }

    @Test
    void theP0ReasonFitsTheSwitch() {
        String reason = P0Pause.reason("nightly", "reconciliation: 2 ANOMALIES: " + "x".repeat(400));
        assertEquals(256, reason.length());
        assertTrue(reason.startsWith("P0 ledger anomaly (LedgerReconciliation nightly): reconciliation: 2 ANOMALIES"));
        assertTrue(reason.endsWith("…"));
    }

    static LedgerReconciliation run(String name, Integer deadline) {
        LedgerReconciliation run = new LedgerReconciliation();
        run.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("bourse").withUid("uid-1").build());
        LedgerReconciliationSpec spec = new LedgerReconciliationSpec();
        spec.activeDeadlineSeconds = deadline;
        run.setSpec(spec);
        return run;
    }

    private static StatefulSet engine() {
        return new StatefulSetBuilder()
                .withNewMetadata().withName("bourse-engine").withNamespace("bourse").endMetadata()
                .withNewSpec().withNewTemplate().withNewSpec()
                    .addNewImagePullSecret("regcred")
                    .addNewContainer().withName("log-shipper").withImage("shipper:1").endContainer()
                    .addNewContainer().withName("engine").withImage("engine:2")
                        .withCommand("java", "-jar", "/app/exchange-engine-server.jar").withArgs("run")
                        .withEnv(new EnvVar("DB_URL", "jdbc:postgresql://db/bourse", null),
                                new EnvVar("BOURSE_PROFILE", "prod", null))
                        .addNewEnvFrom().withNewSecretRef().withName("db-secrets").endSecretRef().endEnvFrom()
                        .addNewVolumeMount().withName("db-ca").withMountPath("/etc/db-ca").endVolumeMount()
                        .addNewVolumeMount().withName("data").withMountPath("/var/lib/bourse").endVolumeMount()
                    .endContainer()
                    .addNewVolume().withName("db-ca").withNewSecret().withSecretName("db-ca").endSecret().endVolume()
                    .addNewVolume().withName("data").withNewPersistentVolumeClaim().withClaimName("data")
                        .endPersistentVolumeClaim().endVolume()
                .endSpec().endTemplate().endSpec()
                .build();
    }
}
