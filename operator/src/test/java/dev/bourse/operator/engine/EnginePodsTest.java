package dev.bourse.operator.engine;

import dev.bourse.operator.harness.OperatorHarness;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pod discovery against the mock API server: replicas = shards, readiness, addresses, where the engines are. */
class EnginePodsTest {
    private static final PodAddresses TEMPLATE = PodAddresses.fromTemplate(
            "http://{pod}.{service}.{namespace}.svc:{port}/s{shard}", "bourse-engine", 8080);

    @Test
    void everyOrdinalIsAShardWithItsReadinessAndAddress() throws Exception {
        try (OperatorHarness k8s = OperatorHarness.kubernetes(null, 3)) {
            k8s.pod(1, false);
            k8s.client().pods().inNamespace(OperatorHarness.NAMESPACE).withName("bourse-engine-2").delete();
            EnginePods pods = new EnginePods(k8s.client(), "bourse-engine", null, TEMPLATE);
            List<EnginePod> list = pods.pods(OperatorHarness.NAMESPACE);
            assertEquals(3, list.size());
            assertEquals("bourse-engine-0", list.get(0).name());
            assertTrue(list.get(0).exists() && list.get(0).ready());
            assertTrue(list.get(1).exists());
            assertFalse(list.get(1).ready(), "Ready=False");
            assertFalse(list.get(2).exists(), "deleted: the StatefulSet controller recreates it");
            assertEquals(URI.create("http://bourse-engine-1.bourse-engine.bourse.svc:8080/s1"), list.get(1).address());

            k8s.statefulSet(2); // scaled down
            assertEquals(2, pods.pods(OperatorHarness.NAMESPACE).size());
        }
    }

    @Test
    void theEnginesOfTheOperatorsNamespaceServeEveryWatchedNamespace() throws Exception {
        try (OperatorHarness k8s = OperatorHarness.kubernetes(null, 2)) {
            EnginePods perResource = new EnginePods(k8s.client(), "bourse-engine", null, TEMPLATE);
            assertThrows(EnginePods.NoEnginesException.class, () -> perResource.pods("team-a"));
            EnginePods home = new EnginePods(k8s.client(), "bourse-engine", OperatorHarness.NAMESPACE, TEMPLATE);
            assertEquals(2, home.pods("team-a").size());
            assertEquals(OperatorHarness.NAMESPACE, home.namespaceFor("team-a"));
            EnginePods.NoEnginesException e = assertThrows(EnginePods.NoEnginesException.class,
                    () -> new EnginePods(k8s.client(), "other", null, TEMPLATE).pods(OperatorHarness.NAMESPACE));
            assertTrue(e.getMessage().contains("bourse/other"), e.getMessage());
        }
    }
}
