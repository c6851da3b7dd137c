package dev.bourse.operator;

import dev.bourse.operator.harness.OperatorHarness;
import dev.bourse.operator.model.Conditions;
import dev.bourse.operator.model.SwitchMode;
import dev.bourse.operator.model.TradingSwitch;
import dev.bourse.operator.model.TradingSwitchSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operator process without engines: leader election through a Lease, health, readiness and metrics endpoints,
 * and a resource whose engines cannot be reached reported as such.
 */
@Timeout(120)
class OperatorEndpointsTest {
    @Test
    void theLeaderReconcilesAndServesHealthReadinessAndMetrics() throws Exception {
        try (OperatorHarness k8s = OperatorHarness.kubernetes(null, 2);
             HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            BourseOperator op = k8s.startOperator(Map.of("LEADER_ELECTION", "true", "LEASE_NAME", "bourse-operator"));
            OperatorHarness.await("the Lease", Duration.ofSeconds(30), () -> {
                Lease lease = k8s.client().leases().inNamespace(OperatorHarness.NAMESPACE).withName("bourse-operator").get();
                return lease != null && "bourse-operator-0".equals(lease.getSpec().getHolderIdentity());
            });

            TradingSwitch sw = new TradingSwitch();
            sw.setMetadata(new ObjectMetaBuilder().withName("no-engines").build());
            sw.setSpec(new TradingSwitchSpec());
            sw.getSpec().scope = new TradingSwitchSpec.Scope();
            sw.getSpec().scope.global = true;
            sw.getSpec().mode = SwitchMode.PauseOrders;
            sw.getSpec().reason = "test";
            k8s.create(sw);
            TradingSwitch seen = k8s.awaitCondition(TradingSwitch.class, "no-engines", TradingSwitch.APPLIED,
                    Conditions.FALSE, Duration.ofSeconds(30));
            var applied = Conditions.find(seen.getStatus().conditions, TradingSwitch.APPLIED).orElseThrow();
            assertEquals("EnginesUnavailable", applied.getReason());
            assertTrue(applied.getMessage().contains("bourse-engine-0"), applied.getMessage());
            assertEquals(null, seen.getStatus().observedGeneration, "nothing confirmed it");

            URI base = URI.create("http://127.0.0.1:" + op.httpPort());
            assertEquals(200, get(http, base.resolve("/healthz")).statusCode());
            assertEquals(200, get(http, base.resolve("/readyz")).statusCode());
            HttpResponse<String> metrics = get(http, base.resolve("/metrics"));
            assertEquals(200, metrics.statusCode());
            String text = metrics.body();
            for (String name : new String[]{"operator_sdk_", "bourse_operator_engine_requests_total",
                    "bourse_operator_engine_request_seconds", "jvm_memory_used_bytes"}) {
                assertTrue(text.contains(name), name + " missing from /metrics:\n" + text);
            }
            assertTrue(text.contains("outcome=\"unavailable\""), "the failed engine calls are counted");

            k8s.stopOperator();
            assertThrows(java.io.IOException.class, () -> get(http, base.resolve("/readyz")), "stopped: port closed");
        }
    }

    private static HttpResponse<String> get(HttpClient http, URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
