package dev.bourse.operator;

import dev.bourse.operator.assembly.TradingSwitchReconciler;
import dev.bourse.operator.assembly.EngineRolloutReconciler;
import dev.bourse.operator.assembly.LedgerReconciliationReconciler;
import dev.bourse.operator.assembly.TradingSymbolReconciler;
import dev.bourse.operator.engine.EngineShardProbe;
import dev.bourse.operator.assembly.WalletPolicyReconciler;
import dev.bourse.operator.engine.EngineClient;
import dev.bourse.operator.engine.EnginePods;
import dev.bourse.operator.engine.PodAddresses;
import dev.bourse.operator.events.EventRecorder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ConfigurationServiceOverrider;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * The Bourse operator: a java-operator-sdk {@link Operator} running the reconcilers of the {@code trading.bourse.dev}
 * resources against the engine pods, with leader election (Lease {@code LEASE_NAME}), Prometheus metrics and health
 * endpoints. {@code java -jar exchange-operator.jar}; settings in docs/operator.md.
 */
public final class BourseOperator implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(BourseOperator.class.getName());

    private final Operator operator;
    private final OperatorServices services;
    private final PrometheusMeterRegistry registry;
    private final OperatorHttpServer http;
    private final GcMetrics gcMetrics;
    private final AtomicBoolean closing;

    private BourseOperator(Operator operator, OperatorServices services, PrometheusMeterRegistry registry,
                           OperatorHttpServer http, GcMetrics gcMetrics, AtomicBoolean closing) {
        this.closing = closing;
        this.operator = operator;
        this.services = services;
        this.registry = registry;
        this.http = http;
        this.gcMetrics = gcMetrics;
    }

    public static void main(String[] args) throws InterruptedException {
        OperatorConfig config;
        try {
            config = OperatorConfig.fromEnvironment(System::getenv);
        } catch (OperatorConfig.InvalidConfigException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        LOG.info("starting with " + config);
        KubernetesClient client = new KubernetesClientBuilder().build();
        BourseOperator op;
        try {
            op = builder(config, client).start();
        } catch (RuntimeException e) {
            // e.g. no API server, missing CRDs or RBAC: one clear line, the cause chain in the log
            LOG.log(java.util.logging.Level.SEVERE, "operator failed to start", e);
            System.err.println("operator failed to start: " + rootMessage(e));
            client.close();
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        // SIGTERM: stop reconciling (in-flight reconciles finish), release the lease, close the client
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // stderr, not the logger: java.util.logging closes its handlers in a shutdown hook of its own
            System.err.println("bourse-operator: stopping");
            op.close();
            client.close();
            System.err.println("bourse-operator: stopped");
            stopped.countDown();
        }, "operator-shutdown"));
        stopped.await();
    }

    private static String rootMessage(Throwable e) {
        StringBuilder b = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            b.append(": ").append(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
        }
        return b.toString();
    }

    public static Builder builder(OperatorConfig config, KubernetesClient client) {
        return new Builder(config, client);
    }

    /**
     * Every reconciler of the operator, registered with the watched namespaces and {@code RECONCILE_INTERVAL}.
     * To add one, construct it from {@code services} and {@link #register} it here.
     */
    static void registerReconcilers(Operator operator, OperatorServices services) {
        register(operator, services, new TradingSwitchReconciler(services), o -> { });
        register(operator, services, new WalletPolicyReconciler(services), o -> { });
        register(operator, services, new TradingSymbolReconciler(services), o -> { });
        register(operator, services, new LedgerReconciliationReconciler(services.config().reconciliation(),
                services.meters()), o -> { });
        // the engine StatefulSet lives in the operator's own namespace; the reconciler filters it by name
        new EngineRolloutReconciler(services.config().rollout(),
                new EngineShardProbe(services.pods(), services.engines()), services.meters())
                .registerWith(operator, services.config().podNamespace());
    }

    /** Registers {@code reconciler} for the watched namespaces, re-checked every {@code RECONCILE_INTERVAL}. */
    public static <P extends HasMetadata> void register(Operator operator, OperatorServices services,
                                                        Reconciler<P> reconciler,
                                                        Consumer<ControllerConfigurationOverrider<P>> more) {
        OperatorConfig config = services.config();
        operator.register(reconciler, o -> {
            o.withReconciliationMaxInterval(config.reconcileInterval());
            if (config.watchesAllNamespaces()) {
                o.watchingAllNamespaces();
            } else {
                o.settingNamespaces(config.watchNamespaces());
            }
            more.accept(o);
        });
    }

    public Operator operator() {
        return operator;
    }

    public OperatorServices services() {
        return services;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The port of /healthz, /readyz and /metrics. */
    public int httpPort() {
        return http.port();
    }

    /** Stops reconciling (in-flight reconciles finish) and the HTTP endpoint; the client stays open. */
    @Override
    public void close() {
        closing.set(true);
        try {
            operator.stop();
        } catch (RuntimeException e) {
            LOG.warning("operator stop: " + e);
        }
        http.close();
        gcMetrics.close();
    }

    /** How to build the operator; tests replace pod addresses and the API-server settings. */
    public static final class Builder {
        private final OperatorConfig config;
        private final KubernetesClient client;
        private PodAddresses addresses;
        private Consumer<ConfigurationServiceOverrider> overrides = o -> { };
        private boolean exitOnLostLeadership = true;

        private Builder(OperatorConfig config, KubernetesClient client) {
            this.config = config;
            this.client = client;
            this.addresses = PodAddresses.fromTemplate(config.engineUrlTemplate(), config.engineService(),
                    config.enginePort());
        }

        /** Where engine pods answer (default: {@code ENGINE_URL_TEMPLATE}). */
        public Builder addresses(PodAddresses a) {
            this.addresses = a;
            return this;
        }

        /** Applied after the operator's own settings (tests: no server-side apply on the mock API server). */
        public Builder overrides(Consumer<ConfigurationServiceOverrider> o) {
            this.overrides = o;
            return this;
        }

        /** A replica that loses the Lease exits (and is restarted) unless told otherwise (tests). */
        public Builder exitOnLostLeadership(boolean exit) {
            this.exitOnLostLeadership = exit;
            return this;
        }

        public BourseOperator start() {
            AtomicBoolean closing = new AtomicBoolean();
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            registry.config().commonTags("app", "bourse-operator");
            new JvmMemoryMetrics().bindTo(registry);
            new JvmThreadMetrics().bindTo(registry);
            new ProcessorMetrics().bindTo(registry);
            new UptimeMetrics().bindTo(registry);
            GcMetrics gc = new GcMetrics(registry);
            EngineClient engines = new EngineClient(EngineClient.defaultHttp(), config.internalToken(), registry);
            OperatorServices services = new OperatorServices(config, client, engines,
                    new EnginePods(client, config.engineStatefulSet(), config.podNamespace(), addresses),
                    new EventRecorder(client, config.podName()), registry);
            MicrometerMetrics metrics = MicrometerMetrics.withoutPerResourceMetrics(registry);
            Operator operator = new Operator(o -> {
                o.withKubernetesClient(client).withMetrics(metrics).withCloseClientOnStop(false)
                        .withReconciliationTerminationTimeout(Duration.ofSeconds(20));
                if (config.leaderElection()) {
                    // JOSDK's own exit-on-stop-leading would also fire while we stop on SIGTERM, from inside the
                    // shutdown hook, where System.exit blocks for ever: exit only when the Lease is lost otherwise
                    LeaderCallbacks callbacks = new LeaderCallbacks(() -> LOG.info("leading: reconciling"),
                            () -> lostLeadership(closing), leader -> LOG.info("leader is " + leader));
                    o.withLeaderElectionConfiguration(new LeaderElectionConfiguration(config.leaseName(),
                            config.podNamespace(), LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
                            LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                            LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE, config.podName(), callbacks,
                            false));
                }
                overrides.accept(o);
            });
            registerReconcilers(operator, services);
            OperatorHttpServer http;
            try {
                http = new OperatorHttpServer(config.httpPort(), () -> health(operator),
                        () -> operator.getRuntimeInfo().isStarted(), registry);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot listen on OPERATOR_HTTP_PORT " + config.httpPort(), e);
            }
            try {
                operator.start();
            } catch (RuntimeException e) {
                http.close();
                gc.close();
                throw e;
            }
            LOG.info("operator started; health and metrics on port " + http.port());
            return new BourseOperator(operator, services, registry, http, gc, closing);
        }

        private void lostLeadership(AtomicBoolean closing) {
            if (closing.get()) {
                return;
            }
            if (!exitOnLostLeadership) {
                LOG.warning("lost the Lease " + config.leaseName() + "; not exiting (tests)");
                return;
            }
            LOG.severe("lost the Lease " + config.leaseName() + ": exiting so that Kubernetes restarts this replica "
                    + "as a stand-by");
            Thread t = new Thread(() -> System.exit(1), "operator-lost-lease");
            t.start();
        }

        private static String health(Operator operator) {
            if (!operator.getRuntimeInfo().isStarted()) {
                return null; // starting: liveness must not kill a replica that is still syncing or standing by
            }
            return operator.getRuntimeInfo().allEventSourcesAreHealthy() ? null
                    : "unhealthy event sources: " + operator.getRuntimeInfo().unhealthyEventSources().keySet();
        }
    }

    /** {@link JvmGcMetrics} holds JMX listeners that must be released. */
    private static final class GcMetrics implements AutoCloseable {
        private final JvmGcMetrics gc = new JvmGcMetrics();

        GcMetrics(PrometheusMeterRegistry registry) {
            gc.bindTo(registry);
        }

        @Override
        public void close() {
            gc.close();
        }
    }
}
