package dev.bourse.operator.reconciliation;

import dev.bourse.operator.assembly.LedgerReconciliationReconciler;
import dev.bourse.operator.model.Conditions;
import dev.bourse.operator.model.LedgerReconciliation;
import dev.bourse.operator.model.LedgerReconciliationSpec;
import dev.bourse.operator.model.SwitchMode;
import dev.bourse.operator.model.TradingSwitch;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * LedgerReconciliation runs end to end: the real JOSDK operator against the mock API server, and the REAL
 * {@code reconcile} command of the engine jar run (by {@link JobKubelet}) against a PostgreSQL database migrated by
 * the jar's {@code migrate} command. Each test uses its own namespace and database.
 */
class LedgerReconciliationIT {
    private static final Duration RUN = Duration.ofSeconds(90);
    private static MockKube kube;
    private static KubernetesClient client;
    private static Operator operator;
    private static JobKubelet kubelet;
    private static SimpleMeterRegistry registry;
    private static final List<String> databases = new ArrayList<>();

    @BeforeAll
    static void start() {
        kube = MockKube.start();
        client = kube.client;
        registry = new SimpleMeterRegistry();
        ReconciliationSettings settings = new ReconciliationSettings("bourse-engine", "engine", 600);
        operator = kube.operator(op -> op.register(new LedgerReconciliationReconciler(settings, registry)));
        kubelet = new JobKubelet(client, EngineJar::run);
    }

    @AfterAll
    static void stop() throws Exception {
        kubelet.close();
        operator.stop();
        kube.close();
        for (String db : databases) {
            EngineJar.drop(db);
        }
    }

    @Test
    void aCleanLedgerSucceedsWithOneJobBuiltFromTheEngine() throws Exception {
        String ns = "clean";
        engine(ns, EngineJar.url(database()));
        double cleanBefore = runs("clean");
        LedgerReconciliation run = createRun(ns, "nightly", null);

        LedgerReconciliation done = awaitFinished(ns, "nightly");
        var s = done.getStatus();
        assertEquals(RunController.SUCCEEDED, s.phase, s.summary);
        assertEquals(0, s.anomalies);
        assertTrue(s.summary.startsWith("reconciliation: CLEAN (0 posting sets"), s.summary);
        assertEquals("lrec-nightly", s.jobName);
        assertNotNull(s.startTime);
        assertNotNull(s.completionTime);
        assertNull(s.pauseSwitch);
        assertEquals(done.getMetadata().getGeneration(), s.observedGeneration);
        Condition succeeded = Conditions.find(s.conditions, LedgerReconciliation.SUCCEEDED).orElseThrow();
        assertEquals(Conditions.TRUE, succeeded.getStatus());
        assertEquals("Clean", succeeded.getReason());
        assertEquals(done.getMetadata().getGeneration(), succeeded.getObservedGeneration());

        List<Job> jobs = client.batch().v1().jobs().inNamespace(ns).list().getItems();
        assertEquals(1, jobs.size(), "one Job per run");
        Job job = jobs.get(0);
        assertEquals(0, job.getSpec().getBackoffLimit());
        assertEquals(900L, job.getSpec().getActiveDeadlineSeconds(), "the CRD's default deadline");
        assertEquals(600, job.getSpec().getTtlSecondsAfterFinished());
        assertEquals(run.getMetadata().getUid(), job.getMetadata().getOwnerReferences().get(0).getUid());
        Container c = job.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals("registry.example/bourse/engine:1.4.2", c.getImage());
        assertEquals(ReconcileJob.ARGS, c.getArgs());
        assertEquals("secret-env", c.getEnvFrom().get(0).getSecretRef().getName());
        assertTrue(c.getEnv().stream().anyMatch(e -> "DB_URL".equals(e.getName())));
        assertEquals(List.of("/etc/bourse/db-ca"), c.getVolumeMounts().stream().map(m -> m.getMountPath()).toList(),
                "the secret volume comes along, the data volume does not");

        // nothing new happens to a finished run, however often it is reconciled
        Thread.sleep(500);
        assertEquals(1, client.batch().v1().jobs().inNamespace(ns).list().getItems().size());
        assertEquals(cleanBefore + 1, runs("clean"), 0.0, "counted once");
    }

    @Test
    void anAnomalyFailsTheRunAndPausesOrdersEverywhereUntilAPersonResumes() throws Exception {
        String ns = "dirty";
        String db = database();
        // money out of nowhere: a one-legged deposit and the balance it "credited"
        EngineJar.sql(db,
                "INSERT INTO assets (asset_id, code, scale) VALUES (1, 'USDT', 6)",
                "INSERT INTO accounts (account_id, kind, name) VALUES (10001, 'USER', 'mallory')",
                "INSERT INTO ledger_entries (posting_key, leg, kind, account_id, asset_id, bucket, amount) "
                        + "VALUES ('deposit:forged', 0, 'DEPOSIT', 10001, 1, 'available', 500)",
                "INSERT INTO balances (account_id, asset_id, available, held) VALUES (10001, 1, 500, 0)");
        engine(ns, EngineJar.url(db));
        double anomaliesBefore = runs("anomalies");
        LedgerReconciliation run = createRun(ns, "after-incident-42", null);

        LedgerReconciliation done = awaitFinished(ns, "after-incident-42");
        var s = done.getStatus();
        assertEquals(RunController.FAILED, s.phase, s.summary);
        assertNotNull(s.anomalies);
        assertTrue(s.anomalies >= 2, s.summary);
        assertTrue(s.summary.startsWith("reconciliation: " + s.anomalies + " ANOMALIES"), s.summary);
        assertTrue(s.summary.contains("posting_set_balance posting set deposit:forged, asset 1 (USDT)"), s.summary);
        assertEquals(P0Pause.NAME, s.pauseSwitch);
        Condition succeeded = Conditions.find(s.conditions, LedgerReconciliation.SUCCEEDED).orElseThrow();
        assertEquals(Conditions.FALSE, succeeded.getStatus());
        assertEquals("AnomaliesFound", succeeded.getReason());

        TradingSwitch p0 = client.resources(TradingSwitch.class).inNamespace(ns).withName(P0Pause.NAME).get();
        assertNotNull(p0, "the P0 pause switch");
        assertEquals(Boolean.TRUE, p0.getSpec().scope.global);
        assertEquals(SwitchMode.PauseOrders, p0.getSpec().mode);
        assertTrue(p0.getSpec().reason.contains("after-incident-42"), p0.getSpec().reason);
        assertTrue(p0.getSpec().reason.length() <= 256);
        assertEquals("operator", p0.getMetadata().getLabels().get(P0Pause.CREATED_BY));
        assertEquals("operator", p0.getMetadata().getAnnotations().get(P0Pause.CREATED_BY));
        assertEquals("after-incident-42", p0.getMetadata().getAnnotations().get(P0Pause.CAUSE));
        assertTrue(p0.getMetadata().getOwnerReferences() == null || p0.getMetadata().getOwnerReferences().isEmpty(),
                "no owner: garbage collection never lifts the pause");

        Event warning = events(ns, "after-incident-42").stream()
                .filter(e -> "LedgerAnomaly".equals(e.getReason())).findFirst().orElseThrow();
        assertEquals("Warning", warning.getType());
        assertEquals("LedgerReconciliation", warning.getInvolvedObject().getKind());
        assertEquals(run.getMetadata().getUid(), warning.getInvolvedObject().getUid());
        assertTrue(warning.getMessage().contains(P0Pause.NAME), warning.getMessage());
        assertEquals(anomaliesBefore + 1, runs("anomalies"), 0.0);

        // deleting the run is not a resume: the switch stays until a person deletes it
        client.resource(done).delete();
        MockKube.await("the run to be gone", Duration.ofSeconds(5), () ->
                client.resources(LedgerReconciliation.class).inNamespace(ns).withName("after-incident-42").get() == null);
        Thread.sleep(500);
        assertNotNull(client.resources(TradingSwitch.class).inNamespace(ns).withName(P0Pause.NAME).get());
    }

    @Test
    void pauseOnAnomalyFalseReportsWithoutPausing() throws Exception {
        String ns = "report-only";
        String db = database();
        EngineJar.sql(db,
                "INSERT INTO assets (asset_id, code, scale) VALUES (0, 'BTC', 8)",
                "INSERT INTO accounts (account_id, kind, name) VALUES (10001, 'USER', 'alice')",
                "INSERT INTO balances (account_id, asset_id, available, held) VALUES (10001, 0, 7, 0)");
        engine(ns, EngineJar.url(db));
        createRun(ns, "audit", false);

        var s = awaitFinished(ns, "audit").getStatus();
        assertEquals(RunController.FAILED, s.phase, s.summary);
        assertEquals("AnomaliesFound", Conditions.find(s.conditions, LedgerReconciliation.SUCCEEDED).orElseThrow()
                .getReason());
        assertTrue(s.summary.contains("balance_matches_ledger account 10001, asset 0 (BTC), available: expected 0, "
                + "actual 7"), s.summary);
        assertNull(s.pauseSwitch);
        assertNull(client.resources(TradingSwitch.class).inNamespace(ns).withName(P0Pause.NAME).get());
        assertTrue(events(ns, "audit").stream().anyMatch(e -> "LedgerAnomaly".equals(e.getReason())));
    }

    @Test
    void aRunThatReachesNoConclusionFailsWithoutPausing() throws Exception {
        String ns = "broken";
        engine(ns, EngineJar.url("bourse_op_no_such_database"));
        createRun(ns, "misconfigured", null);

        var s = awaitFinished(ns, "misconfigured").getStatus();
        assertEquals(RunController.FAILED, s.phase);
        assertNull(s.anomalies, "no conclusion, so no count");
        Condition c = Conditions.find(s.conditions, LedgerReconciliation.SUCCEEDED).orElseThrow();
        assertEquals("RunFailed", c.getReason());
        assertTrue(s.summary.startsWith("exit code 2: reconcile: "), s.summary);
        assertTrue(s.summary.contains("bourse_op_no_such_database"), s.summary);
        assertNull(client.resources(TradingSwitch.class).inNamespace(ns).withName(P0Pause.NAME).get());
        assertTrue(events(ns, "misconfigured").stream().anyMatch(e -> "ReconciliationFailed".equals(e.getReason())
                && "Warning".equals(e.getType())));
    }

    @Test
    void withoutTheEngineStatefulSetTheRunWaits() {
        String ns = "no-engine";
        createRun(ns, "early", null);
        MockKube.await("the run to report the missing engine", Duration.ofSeconds(20), () -> {
            var r = client.resources(LedgerReconciliation.class).inNamespace(ns).withName("early").get();
            return r.getStatus() != null && Conditions.find(r.getStatus().conditions, LedgerReconciliation.SUCCEEDED)
                    .filter(c -> "EngineNotFound".equals(c.getReason())).isPresent();
        });
        var r = client.resources(LedgerReconciliation.class).inNamespace(ns).withName("early").get();
        assertEquals(RunController.PENDING, r.getStatus().phase);
        assertTrue(client.batch().v1().jobs().inNamespace(ns).list().getItems().isEmpty());
    }

    private static double runs(String result) {
        return registry.counter("bourse.operator.reconciliation.runs", "result", result).count();
    }

    private static String database() throws Exception {
        String db = EngineJar.createDatabase();
        databases.add(db);
        return db;
    }

    /** The engine StatefulSet a Job copies: an image, literal DB settings, a secret, a CA volume and a data volume. */
    static StatefulSet engine(String ns, String dbUrl) {
        return client.resource(new StatefulSetBuilder()
                .withNewMetadata().withName("bourse-engine").withNamespace(ns).endMetadata()
                .withNewSpec()
                    .withReplicas(1)
                    .withNewSelector().withMatchLabels(Map.of("app", "bourse-engine")).endSelector()
                    .withNewUpdateStrategy().withType("OnDelete").endUpdateStrategy()
                    .withNewTemplate()
                        .withNewMetadata().withLabels(Map.of("app", "bourse-engine")).endMetadata()
                        .withNewSpec()
                            .addNewContainer()
                                .withName("engine")
                                .withImage("registry.example/bourse/engine:1.4.2")
                                .withArgs("run")
                                .withEnv(new EnvVar("DB_URL", dbUrl, null), new EnvVar("DB_USER", EngineJar.PG_USER, null),
                                        new EnvVar("DB_PASSWORD", "", null))
                                .addNewEnvFrom().withNewSecretRef().withName("secret-env").endSecretRef().endEnvFrom()
                                .addNewVolumeMount().withName("db-ca").withMountPath("/etc/bourse/db-ca").endVolumeMount()
                                .addNewVolumeMount().withName("data").withMountPath("/data").endVolumeMount()
                            .endContainer()
                            .addNewVolume().withName("db-ca").withNewSecret().withSecretName("db-ca").endSecret()
                                .endVolume()
                            .addNewVolume().withName("data").withNewPersistentVolumeClaim().withClaimName("engine-data")
                                .endPersistentVolumeClaim().endVolume()
                        .endSpec()
                    .endTemplate()
                .endSpec()
                .build()).create();
    }

    private static LedgerReconciliation createRun(String ns, String name, Boolean pauseOnAnomaly) {
        LedgerReconciliation run = new LedgerReconciliation();
        run.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
        LedgerReconciliationSpec spec = new LedgerReconciliationSpec();
        spec.trigger = "Manual";
        spec.reason = "integration test";
        spec.pauseOnAnomaly = pauseOnAnomaly;
        run.setSpec(spec);
        return client.resource(run).create();
    }

    private static LedgerReconciliation awaitFinished(String ns, String name) {
        MockKube.await(name + " to finish", RUN, () -> {
            var r = client.resources(LedgerReconciliation.class).inNamespace(ns).withName(name).get();
            return r != null && r.getStatus() != null
                    && (RunController.SUCCEEDED.equals(r.getStatus().phase) || RunController.FAILED.equals(r.getStatus().phase));
        });
        return client.resources(LedgerReconciliation.class).inNamespace(ns).withName(name).get();
    }

    private static List<Event> events(String ns, String involved) {
        return client.v1().events().inNamespace(ns).list().getItems().stream()
                .filter(e -> involved.equals(e.getInvolvedObject().getName())).toList();
    }
}
