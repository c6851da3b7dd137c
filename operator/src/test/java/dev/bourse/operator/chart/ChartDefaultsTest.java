package dev.bourse.operator.chart;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.bourse.operator.chart.RenderedChart.NAMESPACE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The chart rendered with its default values: what a plain {@code helm install bourse charts/bourse} creates. */
class ChartDefaultsTest {
    private static RenderedChart chart;
    private static StatefulSet engine;
    private static Deployment operator;

    @BeforeAll
    static void render() {
        chart = RenderedChart.render();
        engine = chart.one(StatefulSet.class);
        operator = chart.one(Deployment.class);
    }

    private static Container engineContainer() {
        return Pods.container(engine.getSpec().getTemplate().getSpec(), "engine");
    }

    private static Container operatorContainer() {
        return Pods.container(operator.getSpec().getTemplate().getSpec(), "operator");
    }

    @Test
    void engineStatefulSetIsRolledOnlyByTheOperator() {
        assertEquals("bourse-engine", engine.getMetadata().getName());
        assertEquals("OnDelete", engine.getSpec().getUpdateStrategy().getType(),
                "Kubernetes must not restart engine pods by itself: the operator drains each shard first");
        assertEquals("Parallel", engine.getSpec().getPodManagementPolicy());
        assertEquals(2, engine.getSpec().getReplicas());
        assertTrue(Pods.selects(engine.getSpec().getSelector().getMatchLabels(),
                engine.getSpec().getTemplate().getMetadata().getLabels()));
        assertFalse(engine.getSpec().getTemplate().getMetadata().getLabels().containsKey("helm.sh/chart"),
                "a chart-version label on the pod template would roll every shard on each chart release");
        assertNotNull(engine.getSpec().getTemplate().getMetadata().getAnnotations().get("checksum/config"),
                "a settings change must change the pod template so the operator rolls the pods");
    }

    @Test
    void engineIsReadyOnlyAfterRecoveryAndHasLivenessAndStartupProbes() {
        Container c = engineContainer();
        Probe ready = c.getReadinessProbe();
        assertEquals("/health/ready", ready.getHttpGet().getPath());
        assertEquals("http", ready.getHttpGet().getPort().getStrVal());
        assertEquals("/health/live", c.getLivenessProbe().getHttpGet().getPath());
        assertNotNull(c.getStartupProbe(), "a startup probe keeps liveness from killing a JVM that is still migrating");
        assertEquals("/health/live", c.getStartupProbe().getHttpGet().getPath());
        assertEquals(8080, c.getPorts().get(0).getContainerPort());
        assertEquals(List.of("java", "-jar", "/app/exchange-engine-server.jar"), c.getCommand());
        assertEquals(List.of("run"), c.getArgs());
        assertEquals("FallbackToLogsOnError", c.getTerminationMessagePolicy());
    }

    @Test
    void heapIsSetThroughJavaOptsAndFitsTheMemoryLimit() {
        Container c = engineContainer();
        String opts = Pods.env(c, "JAVA_OPTS").getValue();
        long xmx = Pods.xmxBytes(opts);
        assertTrue(xmx > 0, "JAVA_OPTS must set -Xmx: " + opts);
        assertEquals("$(JAVA_OPTS)", Pods.env(c, "JDK_JAVA_OPTIONS").getValue(),
                "the java launcher reads JDK_JAVA_OPTIONS itself, so no shell is needed");
        BigDecimal limit = Pods.bytes(c.getResources().getLimits().get("memory"));
        assertTrue(BigDecimal.valueOf(xmx).compareTo(limit.multiply(BigDecimal.valueOf(0.8))) < 0,
                "-Xmx " + xmx + " leaves under 20% of the " + limit + " byte limit outside the heap");
        assertTrue(Pods.xmxBytes(Pods.env(operatorContainer(), "JAVA_OPTS").getValue()) > 0);
    }

    @Test
    void shardIdIsThePodOrdinalAndPeersAreReachedThroughTheHeadlessService() {
        EnvVar shard = Pods.env(engineContainer(), "SHARD_ID");
        assertEquals("metadata.labels['apps.kubernetes.io/pod-index']", shard.getValueFrom().getFieldRef().getFieldPath());
        ConfigMap settings = chart.named(ConfigMap.class, "bourse-engine");
        String template = settings.getData().get("SHARD_URL_TEMPLATE");
        Service headless = chart.named(Service.class, engine.getSpec().getServiceName());
        // pod N of StatefulSet S under headless service H: S-N.H.<namespace>.svc
        assertEquals("http://bourse-engine-{shard}." + headless.getMetadata().getName() + "." + NAMESPACE
                + ".svc.cluster.local:8080", template);
        assertEquals(engine.getMetadata().getName(), Pods.env(operatorContainer(), "ENGINE_STATEFULSET").getValue());
        assertEquals(headless.getMetadata().getName(), Pods.env(operatorContainer(), "ENGINE_SERVICE").getValue());
        assertEquals("8080", Pods.env(operatorContainer(), "ENGINE_PORT").getValue());
        assertEquals(settings.getMetadata().getName(),
                engineContainer().getEnvFrom().get(0).getConfigMapRef().getName());
    }

    @Test
    void secretsComeFromAGeneratedSecretNeverFromTheConfigMap() {
        Secret secret = chart.one(Secret.class);
        assertEquals("keep", secret.getMetadata().getAnnotations().get("helm.sh/resource-policy"),
                "AUTH_TOKEN_SECRET encrypts every API-key secret: uninstalling must not delete it");
        Set<String> values = new HashSet<>();
        for (String key : List.of("INTERNAL_TOKEN", "ADMIN_TOKEN", "AUTH_TOKEN_SECRET")) {
            EnvVar e = Pods.env(engineContainer(), key);
            assertEquals(secret.getMetadata().getName(), e.getValueFrom().getSecretKeyRef().getName(), key);
            assertEquals(key, e.getValueFrom().getSecretKeyRef().getKey());
            String value = new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
            assertEquals(48, value.length(), key);
            assertTrue(value.chars().distinct().count() >= 10, key + " looks random");
            values.add(value);
        }
        assertEquals(3, values.size(), "the three secrets differ (the engine refuses ADMIN_TOKEN == INTERNAL_TOKEN)");
        EnvVar opToken = Pods.env(operatorContainer(), "INTERNAL_TOKEN");
        assertEquals(secret.getMetadata().getName(), opToken.getValueFrom().getSecretKeyRef().getName());
        assertEquals("INTERNAL_TOKEN", opToken.getValueFrom().getSecretKeyRef().getKey());

        Map<String, String> settings = chart.named(ConfigMap.class, "bourse-engine").getData();
        for (String key : settings.keySet()) {
            assertFalse(key.matches(".*(TOKEN|SECRET|PASSWORD).*") && !key.equals("AUTH_TOKEN_TTL"),
                    key + " must not be in a ConfigMap");
        }
        assertEquals("prod", settings.get("BOURSE_PROFILE"));
        assertEquals("false", settings.get("DEMO_DATA"));
        assertEquals("require", settings.get("DB_SSL_MODE"));
        assertEquals("0.0.0.0", settings.get("HOST"));
        assertFalse(Pods.hasEnv(engineContainer(), "DB_PASSWORD"), "no password configured, none referenced");
    }

    @Test
    void podsRunAsNonRootOnAReadOnlyRootFilesystem() {
        for (PodSpec spec : List.of(engine.getSpec().getTemplate().getSpec(),
                operator.getSpec().getTemplate().getSpec())) {
            PodSecurityContext pod = spec.getSecurityContext();
            assertTrue(pod.getRunAsNonRoot());
            assertTrue(pod.getRunAsUser() > 0);
            assertEquals("RuntimeDefault", pod.getSeccompProfile().getType());
            for (Container c : spec.getContainers()) {
                SecurityContext sc = c.getSecurityContext();
                assertTrue(sc.getReadOnlyRootFilesystem(), c.getName());
                assertFalse(sc.getAllowPrivilegeEscalation(), c.getName());
                assertEquals(List.of("ALL"), sc.getCapabilities().getDrop(), c.getName());
                assertTrue(c.getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals("/tmp")),
                        c.getName() + ": the JVM needs a writable /tmp");
                assertNotNull(c.getResources().getRequests().get("memory"), c.getName());
                assertNotNull(c.getResources().getLimits().get("memory"), c.getName());
            }
        }
        assertFalse(engine.getSpec().getTemplate().getSpec().getAutomountServiceAccountToken(),
                "the engine does not talk to the Kubernetes API");
    }

    @Test
    void atMostOneEnginePodMayBeEvicted() {
        PodDisruptionBudget pdb = chart.one(PodDisruptionBudget.class);
        assertEquals(1, pdb.getSpec().getMaxUnavailable().getIntVal());
        assertTrue(Pods.selects(pdb.getSpec().getSelector().getMatchLabels(),
                engine.getSpec().getTemplate().getMetadata().getLabels()));
    }

    @Test
    void headlessAndClientServicesSelectTheEnginePods() {
        Map<String, String> enginePod = engine.getSpec().getTemplate().getMetadata().getLabels();
        Map<String, String> operatorPod = operator.getSpec().getTemplate().getMetadata().getLabels();
        Service headless = chart.named(Service.class, "bourse-engine");
        assertEquals("None", headless.getSpec().getClusterIP());
        assertTrue(headless.getSpec().getPublishNotReadyAddresses(),
                "the operator and Prometheus must reach a recovering pod");
        Service api = chart.named(Service.class, "bourse-api");
        assertEquals("ClusterIP", api.getSpec().getType());
        assertFalse("None".equals(api.getSpec().getClusterIP()));
        for (Service s : List.of(headless, api)) {
            assertTrue(Pods.selects(s.getSpec().getSelector(), enginePod), s.getMetadata().getName());
            assertFalse(Pods.selects(s.getSpec().getSelector(), operatorPod), s.getMetadata().getName());
            assertEquals("http", s.getSpec().getPorts().get(0).getTargetPort().getStrVal());
        }
        Service ops = chart.named(Service.class, "bourse-operator");
        assertTrue(Pods.selects(ops.getSpec().getSelector(), operatorPod));
        assertFalse(Pods.selects(ops.getSpec().getSelector(), enginePod));
    }

    @Test
    void operatorGetsItsConfigurationAndProbes() {
        Container c = operatorContainer();
        assertEquals(List.of("java", "-jar", "/app/exchange-operator.jar"), c.getCommand());
        for (String name : List.of("WATCH_NAMESPACE", "POD_NAMESPACE", "POD_NAME", "ENGINE_STATEFULSET", "ENGINE_SERVICE",
                "ENGINE_PORT", "INTERNAL_TOKEN", "OPERATOR_HTTP_PORT", "LEADER_ELECTION", "LEASE_NAME",
                "RECONCILE_INTERVAL", "ROLLOUT_STEP_TIMEOUT")) {
            assertTrue(Pods.hasEnv(c, name), name);
        }
        assertFalse(Pods.hasEnv(c, "ENGINE_URL_TEMPLATE"), "unset: the operator's default applies");
        assertEquals(NAMESPACE, Pods.env(c, "WATCH_NAMESPACE").getValue());
        assertEquals("metadata.namespace", Pods.env(c, "POD_NAMESPACE").getValueFrom().getFieldRef().getFieldPath());
        assertEquals("metadata.name", Pods.env(c, "POD_NAME").getValueFrom().getFieldRef().getFieldPath());
        assertEquals("true", Pods.env(c, "LEADER_ELECTION").getValue());
        assertEquals("bourse-operator", Pods.env(c, "LEASE_NAME").getValue());
        assertEquals("8081", Pods.env(c, "OPERATOR_HTTP_PORT").getValue());
        assertEquals(8081, c.getPorts().get(0).getContainerPort());
        assertEquals("/readyz", c.getReadinessProbe().getHttpGet().getPath());
        assertEquals("/healthz", c.getLivenessProbe().getHttpGet().getPath());
        assertEquals("http", c.getLivenessProbe().getHttpGet().getPort().getStrVal());
        assertEquals("bourse-operator", operator.getSpec().getTemplate().getSpec().getServiceAccountName());
    }

    @Test
    void operatorRbacIsLeastPrivilege() {
        RbacChecks.noWildcards(chart);
        List<Rbac.Grant> grants = Rbac.grantedToServiceAccount(chart, "bourse-operator", NAMESPACE);
        RbacChecks.operatorCanDoItsJob(grants);
        RbacChecks.operatorHasNoSecretsOrExtras(grants);
        assertTrue(grants.stream().noneMatch(Rbac.Grant::clusterWide), "namespaced by default");
        assertTrue(chart.all(ClusterRole.class).isEmpty());
        // leader election: create any Lease, but touch only its own
        Role lease = chart.named(Role.class, "bourse-operator-leader-election");
        assertTrue(lease.getRules().stream().anyMatch(r -> r.getVerbs().equals(List.of("create"))
                && r.getResourceNames().isEmpty()));
        assertTrue(lease.getRules().stream().anyMatch(r -> r.getVerbs().containsAll(List.of("get", "update"))
                && r.getResourceNames().equals(List.of("bourse-operator"))));
    }

    @Test
    void tradingOpsMayEditTradingSwitchesOnly() {
        Role ops = chart.named(Role.class, "bourse-trading-ops");
        RbacChecks.onlyTradingSwitches(ops);
        assertTrue(chart.all(RoleBinding.class).stream()
                        .noneMatch(b -> b.getRoleRef().getName().equals("bourse-trading-ops")),
                "no subjects configured, no binding");
    }

    @Test
    void onlyEnginePodsAndTheOperatorReachTheEnginePort() {
        NetworkPolicy np = chart.named(NetworkPolicy.class, "bourse-engine");
        assertTrue(Pods.selects(np.getSpec().getPodSelector().getMatchLabels(),
                engine.getSpec().getTemplate().getMetadata().getLabels()));
        assertEquals(List.of("Ingress"), np.getSpec().getPolicyTypes());
        List<NetworkPolicyIngressRule> rules = np.getSpec().getIngress();
        for (NetworkPolicyIngressRule r : rules) {
            assertFalse(r.getFrom() == null || r.getFrom().isEmpty(), "a rule without 'from' admits everyone");
            assertEquals("http", r.getPorts().get(0).getPort().getStrVal());
        }
        List<NetworkPolicyPeer> first = rules.get(0).getFrom();
        Map<String, String> enginePod = engine.getSpec().getTemplate().getMetadata().getLabels();
        Map<String, String> operatorPod = operator.getSpec().getTemplate().getMetadata().getLabels();
        assertTrue(first.stream().anyMatch(p -> p.getNamespaceSelector() == null
                && Pods.selects(p.getPodSelector().getMatchLabels(), enginePod)));
        assertTrue(first.stream().anyMatch(p -> p.getNamespaceSelector() == null
                && Pods.selects(p.getPodSelector().getMatchLabels(), operatorPod)));
        // defaults: engine + operator, and Prometheus; no ingress controller while the Ingress is off
        assertEquals(2, rules.size());
        assertEquals("monitoring", rules.get(1).getFrom().get(0).getNamespaceSelector().getMatchLabels()
                .get("kubernetes.io/metadata.name"));

        NetworkPolicy op = chart.named(NetworkPolicy.class, "bourse-operator");
        assertTrue(Pods.selects(op.getSpec().getPodSelector().getMatchLabels(), operatorPod));
        for (NetworkPolicyIngressRule r : op.getSpec().getIngress()) {
            assertFalse(r.getFrom() == null || r.getFrom().isEmpty());
        }
    }

    @Test
    void optionalPartsAreOffByDefault() {
        assertEquals(0, chart.count("Ingress"));
        assertEquals(0, chart.count("ServiceMonitor"));
        assertEquals(0, chart.count("PrometheusRule"));
        assertEquals(1, chart.all(ConfigMap.class).size(), "only the engine settings, no dashboards");
        assertEquals(1, chart.all(Secret.class).size(), "only the engine secrets: no database password given");
        assertEquals(0, chart.count("CustomResourceDefinition"), "CRDs are installed from crds/, not templated");
    }

    @Test
    void everythingIsInTheReleaseNamespace() {
        for (HasMetadata o : chart.all()) {
            if (o instanceof ClusterRole || o.getKind().startsWith("Cluster")) {
                continue;
            }
            assertEquals(NAMESPACE, o.getMetadata().getNamespace(), o.getKind() + " " + o.getMetadata().getName());
            assertEquals("bourse", o.getMetadata().getLabels().get("app.kubernetes.io/part-of"));
        }
    }
}
