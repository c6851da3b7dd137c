package dev.bourse.operator.reconciliation;

import dev.bourse.operator.model.LedgerReconciliation;
import dev.bourse.operator.model.TradingSwitch;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.javaoperatorsdk.operator.Operator;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A fabric8 mock API server in CRUD mode with the Bourse CRDs (status subresource on), and JOSDK operators configured
 * the way the mock needs (no server-side apply). Operators can be stopped and started again against the same server,
 * which is how the tests restart the operator.
 */
public final class MockKube implements AutoCloseable {
    /* Held: JUL keeps loggers weakly, and the mock logs every request at INFO. */
    private static final List<Logger> QUIET = List.of(Logger.getLogger("io.fabric8.mockwebserver"),
            Logger.getLogger("io.fabric8.kubernetes.client.informers"), Logger.getLogger("io.javaoperatorsdk"),
            Logger.getLogger("io.fabric8.kubernetes.client.dsl.internal"));

    static {
        QUIET.forEach(l -> l.setLevel(Level.WARNING));
    }

    public final KubernetesMockServer server;
    public final KubernetesClient client;

    private MockKube(KubernetesMockServer server) {
        this.server = server;
        this.client = server.createClient();
    }

    public static MockKube start() {
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(List.of()), false);
        server.init();
        MockKube kube = new MockKube(server);
        kube.crd(LedgerReconciliation.class);
        kube.crd(TradingSwitch.class);
        return kube;
    }

    private void crd(Class<? extends CustomResource<?, ?>> type) {
        CustomResourceDefinition crd = CustomResourceDefinitionContext.v1CRDFromCustomResourceType(type)
                .editSpec().editFirstVersion()
                .withNewSubresources().withNewStatus().endStatus().endSubresources()
                .endVersion().endSpec()
                .build();
        client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
    }

    /** Starts an operator with the reconcilers {@code register} adds. */
    public Operator operator(Consumer<Operator> register) {
        Operator operator = new Operator(o -> o
                .withKubernetesClient(server.createClient())
                .withUseSSAToPatchPrimaryResource(false)
                .withSSABasedCreateUpdateMatchForDependentResources(false)
                .withDefaultNonSSAResource(Set.<Class<? extends HasMetadata>>of(Job.class, StatefulSet.class))
                .withCloseClientOnStop(true));
        register.accept(operator);
        operator.start();
        return operator;
    }

    /** Polls {@code condition} every 50 ms until it holds; fails with {@code what} after {@code timeout}. */
    public static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}
