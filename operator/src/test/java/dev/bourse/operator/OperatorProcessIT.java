package dev.bourse.operator;

import dev.bourse.operator.harness.OperatorHarness;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shaded jar as the chart runs it: {@code java -jar exchange-operator.jar} with the chart's environment against
 * the mock API server, leader election on; it becomes ready, takes the Lease, and stops cleanly on SIGTERM.
 */
@Timeout(120)
class OperatorProcessIT {
    @Test
    void theJarStartsTakesTheLeaseAndStopsOnSigterm() throws Exception {
        String jar = System.getProperty("bourse.operator.jar");
        assertTrue(jar != null && Files.isRegularFile(Paths.get(jar)), "bourse.operator.jar (run through failsafe "
                + "after package): " + jar);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path log = Paths.get("target", "operator-process.log");
        try (OperatorHarness k8s = OperatorHarness.kubernetes(null, 2);
             HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            ProcessBuilder pb = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx128m", "-jar", jar);
            Map<String, String> env = pb.environment();
            env.putAll(k8s.operatorEnv(Map.of("LEADER_ELECTION", "true", "OPERATOR_HTTP_PORT", Integer.toString(port))));
            env.put("KUBERNETES_MASTER", k8s.client().getConfiguration().getMasterUrl());
            env.put("KUBERNETES_AUTH_TRYKUBECONFIG", "false");
            env.put("KUBERNETES_AUTH_TRYSERVICEACCOUNT", "false");
            env.put("KUBERNETES_NAMESPACE", OperatorHarness.NAMESPACE);
            pb.redirectErrorStream(true).redirectOutput(log.toFile()).redirectInput(new File("/dev/null"));
            Process p = pb.start();
            try {
                OperatorHarness.await("/readyz", Duration.ofSeconds(60), () -> {
                    assertTrue(p.isAlive(), () -> "exited: " + read(log));
                    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz")).build(),
                            HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
                });
                OperatorHarness.await("the Lease", Duration.ofSeconds(30), () -> {
                    Lease l = k8s.client().leases().inNamespace(OperatorHarness.NAMESPACE).withName("bourse-operator").get();
                    return l != null && "bourse-operator-0".equals(l.getSpec().getHolderIdentity());
                });
                p.destroy(); // SIGTERM
                assertTrue(p.waitFor(30, TimeUnit.SECONDS), "stopped within 30 s of SIGTERM:\n" + read(log));
                assertTrue(List.of(0, 143).contains(p.exitValue()), "exit " + p.exitValue() + ":\n" + read(log));
                assertTrue(read(log).contains("bourse-operator: stopped"), "graceful stop:\n" + read(log));
            } finally {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void aBadConfigurationStopsItWithEveryProblem() throws Exception {
        String jar = System.getProperty("bourse.operator.jar");
        ProcessBuilder pb = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar);
        pb.environment().remove("INTERNAL_TOKEN");
        pb.environment().put("RECONCILE_INTERVAL", "30");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue(), out);
        assertTrue(out.startsWith("invalid configuration:"), out);
        assertTrue(out.contains("INTERNAL_TOKEN is required") && out.contains("RECONCILE_INTERVAL"), out);
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (Exception e) {
            return e.toString();
        }
    }
}
