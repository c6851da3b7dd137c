package dev.bourse.operator.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static dev.bourse.operator.chart.RenderedChart.NAMESPACE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The chart with every optional part on ({@code charts/bourse/ci/all-on-values.yaml}), CRDs included. */
class ChartAllOptionsTest {
    private static final String ALL_ON = RepoFiles.chart().resolve("ci/all-on-values.yaml").toString();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = new YAMLMapper();
    private static RenderedChart chart;
    private static Container engine;

    @BeforeAll
    static void render() {
        chart = RenderedChart.render("-f", ALL_ON, "--include-crds");
        engine = Pods.container(chart.one(StatefulSet.class).getSpec().getTemplate().getSpec(), "engine");
    }

    @Test
    void ingressRoutesOnlyTheTraderApiToTheClientService() {
        Ingress ingress = chart.one(Ingress.class);
        assertEquals("nginx", ingress.getSpec().getIngressClassName());
        assertEquals(2, ingress.getSpec().getRules().size());
        for (IngressRule rule : ingress.getSpec().getRules()) {
            Set<String> paths = new TreeSet<>();
            for (HTTPIngressPath p : rule.getHttp().getPaths()) {
                paths.add(p.getPath());
                assertEquals("Prefix", p.getPathType());
                assertEquals("bourse-api", p.getBackend().getService().getName());
                for (String hidden : List.of("/admin", "/internal", "/health", "/metrics")) {
                    assertFalse(hidden.startsWith(p.getPath()) || p.getPath().startsWith(hidden),
                            p.getPath() + " would expose " + hidden);
                }
            }
            assertEquals(Set.of("/api/v5", "/ws/v5"), paths);
        }
        assertEquals("bourse-api-tls", ingress.getSpec().getTls().get(0).getSecretName());
    }

    @Test
    void ingressWithoutHostsServesEveryHost() {
        Ingress ingress = RenderedChart.render("--set", "ingress.enabled=true", "--set-json", "ingress.hosts=[]")
                .one(Ingress.class);
        assertEquals(1, ingress.getSpec().getRules().size());
        assertEquals(null, ingress.getSpec().getRules().get(0).getHost());
        assertEquals(2, ingress.getSpec().getRules().get(0).getHttp().getPaths().size());
    }

    @Test
    void networkPolicyAdmitsTheIngressControllerAndTheListedAdmins() {
        NetworkPolicy np = chart.named(NetworkPolicy.class, "bourse-engine");
        List<NetworkPolicyIngressRule> rules = np.getSpec().getIngress();
        List<String> namespaces = new ArrayList<>();
        for (NetworkPolicyIngressRule r : rules) {
            assertFalse(r.getFrom() == null || r.getFrom().isEmpty(), "a rule without 'from' admits everyone");
            r.getFrom().stream().filter(p -> p.getNamespaceSelector() != null)
                    .forEach(p -> namespaces.add(p.getNamespaceSelector().getMatchLabels()
                            .get("kubernetes.io/metadata.name")));
        }
        assertEquals(List.of("ingress-nginx", "monitoring", "trading-admin"), namespaces);
    }

    @Test
    void watchingAllNamespacesUsesAClusterRoleStillWithoutWildcards() {
        RbacChecks.noWildcards(chart);
        List<Rbac.Grant> grants = Rbac.grantedToServiceAccount(chart, "bourse-operator", NAMESPACE);
        RbacChecks.operatorCanDoItsJob(grants);
        RbacChecks.operatorHasNoSecretsOrExtras(grants);
        ClusterRole role = chart.named(ClusterRole.class, "bourse-operator");
        assertTrue(role.getRules().stream().anyMatch(r -> r.getResources().contains("tradingswitches")));
        for (String engineObject : List.of("leases", "statefulsets", "pods", "jobs")) {
            assertTrue(grants.stream().filter(g -> g.rule().getResources().contains(engineObject))
                    .noneMatch(Rbac.Grant::clusterWide), engineObject + " only in the release namespace");
        }
        assertTrue(grants.stream().filter(g -> g.rule().getResources().contains("tradingsymbols"))
                .allMatch(Rbac.Grant::clusterWide), "custom resources in every namespace");
        Container op = Pods.container(chart.one(Deployment.class).getSpec().getTemplate().getSpec(), "operator");
        assertEquals("", Pods.env(op, "WATCH_NAMESPACE").getValue());
        assertEquals("http://{pod}.{service}.{namespace}.svc.cluster.local:{port}",
                Pods.env(op, "ENGINE_URL_TEMPLATE").getValue());
        assertEquals(2, chart.one(Deployment.class).getSpec().getReplicas());
    }

    @Test
    void tradingOpsBindingNamesTheConfiguredSubjects() {
        RbacChecks.onlyTradingSwitches(chart.named(Role.class, "bourse-trading-ops"));
        RoleBinding b = chart.named(RoleBinding.class, "bourse-trading-ops");
        assertEquals("Role", b.getRoleRef().getKind());
        Map<String, String> subjects = b.getSubjects().stream()
                .collect(Collectors.toMap(Subject::getKind, Subject::getName));
        assertEquals(Map.of("Group", "oncall-trading", "User", "jane@example.com", "ServiceAccount", "release-bot"),
                subjects);
        List<Rbac.Grant> grants = Rbac.granted(chart, s -> "Group".equals(s.getKind())
                && "oncall-trading".equals(s.getName()));
        assertTrue(grants.stream().allMatch(g -> g.rule().getResources().stream()
                .allMatch(r -> r.startsWith("tradingswitches"))));
    }

    @Test
    void databaseAndRedisSettingsComeFromTheirSecretsAndValues() {
        for (String[] e : List.of(new String[]{"DB_URL", "jdbc-uri"}, new String[]{"DB_USER", "username"},
                new String[]{"DB_PASSWORD", "password"})) {
            EnvVar v = Pods.env(engine, e[0]);
            assertEquals("bourse-db-app", v.getValueFrom().getSecretKeyRef().getName(), e[0]);
            assertEquals(e[1], v.getValueFrom().getSecretKeyRef().getKey(), e[0]);
        }
        Map<String, String> settings = chart.named(ConfigMap.class, "bourse-engine").getData();
        assertFalse(settings.containsKey("DB_URL"), "taken from the Secret");
        assertFalse(settings.containsKey("DB_USER"), "taken from the Secret");
        assertEquals("verify-full", settings.get("DB_SSL_MODE"));
        assertEquals("redis.trading-data.svc:6379", settings.get("REDIS_ADDR"));
        assertEquals("30000", Pods.env(engine, "FUNDS_WATCH_INTERVAL_MS").getValue());
        assertEquals(3, chart.one(StatefulSet.class).getSpec().getReplicas());
        assertEquals(1, chart.all(Secret.class).size(), "the engine secrets only: the database Secret exists already");
    }

    @Test
    void existingSecretsMeanTheChartRendersNoSecret() {
        RenderedChart c = RenderedChart.render("-f", ALL_ON, "--set", "secrets.existingSecret=bourse-vault-tokens");
        assertTrue(c.all(Secret.class).isEmpty());
        Container e = Pods.container(c.one(StatefulSet.class).getSpec().getTemplate().getSpec(), "engine");
        for (String key : List.of("INTERNAL_TOKEN", "ADMIN_TOKEN", "AUTH_TOKEN_SECRET")) {
            assertEquals("bourse-vault-tokens", Pods.env(e, key).getValueFrom().getSecretKeyRef().getName());
        }
        Container op = Pods.container(c.one(Deployment.class).getSpec().getTemplate().getSpec(), "operator");
        assertEquals("bourse-vault-tokens", Pods.env(op, "INTERNAL_TOKEN").getValueFrom().getSecretKeyRef().getName());

        // a plain password becomes the chart's own database Secret instead
        RenderedChart p = RenderedChart.render("--set", "secrets.existingSecret=t", "--set", "database.password=s3cr3t-pw");
        Secret db = p.one(Secret.class);
        assertEquals("bourse-database", db.getMetadata().getName());
        EnvVar pw = Pods.env(Pods.container(p.one(StatefulSet.class).getSpec().getTemplate().getSpec(), "engine"),
                "DB_PASSWORD");
        assertEquals("bourse-database", pw.getValueFrom().getSecretKeyRef().getName());
        assertEquals("password", pw.getValueFrom().getSecretKeyRef().getKey());
    }

    @Test
    void serviceMonitorsScrapeEveryEnginePodAndTheOperator() {
        List<GenericKubernetesResource> monitors = chart.generic("ServiceMonitor");
        assertEquals(2, monitors.size());
        for (GenericKubernetesResource m : monitors) {
            assertEquals("monitoring.coreos.com/v1", m.getApiVersion());
            assertEquals("kube-prometheus-stack", m.getMetadata().getLabels().get("release"));
            JsonNode spec = JSON.valueToTree(m.getAdditionalProperties().get("spec"));
            assertEquals("/metrics", spec.at("/endpoints/0/path").asText());
            assertEquals("http", spec.at("/endpoints/0/port").asText());
        }
        JsonNode engineSpec = JSON.valueToTree(chart.generic("ServiceMonitor").stream()
                .filter(m -> m.getMetadata().getName().equals("bourse-engine")).findFirst().orElseThrow()
                .getAdditionalProperties().get("spec"));
        assertEquals("peers", engineSpec.at("/selector/matchLabels/trading.bourse.dev~1service").asText(),
                "the headless Service lists every pod, ready or not");
    }

    @Test
    void prometheusRuleCarriesTheOpsAlertRules() throws IOException {
        GenericKubernetesResource rule = chart.generic("PrometheusRule").get(0);
        JsonNode rendered = JSON.valueToTree(rule.getAdditionalProperties().get("spec")).get("groups");
        JsonNode ops = YAML.readTree(RepoFiles.resolve("ops/alerts/bourse-rules.yml").toFile()).get("groups");
        assertEquals(ops.size(), rendered.size());
        int alerts = 0;
        for (int g = 0; g < ops.size(); g++) {
            JsonNode want = ops.get(g).get("rules");
            JsonNode got = rendered.get(g).get("rules");
            assertEquals(want.size(), got.size());
            for (int i = 0; i < want.size(); i++) {
                JsonNode w = want.get(i).deepCopy();
                JsonNode r = got.get(i);
                String url = w.at("/annotations/runbook_url").asText();
                ((com.fasterxml.jackson.databind.node.ObjectNode) w.get("annotations")).put("runbook_url",
                        "https://git.example/bourse/blob/main/" + url);
                assertEquals(w, r, "rule " + w.path("alert").asText());
                alerts++;
            }
        }
        assertTrue(alerts > 20, "all alerts rendered: " + alerts);
        assertTrue(rendered.toString().contains("{{ $value }}"), "Prometheus templates are kept verbatim");
    }

    @Test
    void grafanaDashboardsAreTheOpsBoardsWithTheDataSourceFilledIn() throws IOException {
        List<ConfigMap> boards = chart.all(ConfigMap.class).stream()
                .filter(c -> "1".equals(c.getMetadata().getLabels().get("grafana_dashboard"))).toList();
        List<Path> ops = RepoFiles.list(RepoFiles.resolve("ops/dashboards"), ".json");
        assertEquals(ops.size(), boards.size());
        for (Path file : ops) {
            String name = file.getFileName().toString();
            ConfigMap cm = boards.stream().filter(c -> c.getData().containsKey(name)).findFirst()
                    .orElseThrow(() -> new AssertionError("no ConfigMap for " + name));
            assertEquals("monitoring", cm.getMetadata().getNamespace());
            assertEquals("Bourse", cm.getMetadata().getAnnotations().get("grafana_folder"));
            String json = cm.getData().get(name);
            assertFalse(json.contains("${DS_PROMETHEUS}"), name + ": the sidecar does not resolve import inputs");
            assertEquals(JSON.readTree(Files.readString(file).replace("${DS_PROMETHEUS}", "prometheus")),
                    JSON.readTree(json), name);
        }
    }

    @Test
    void customResourceDefinitionsAreRenderedWhenTheChartHasThem() {
        Set<String> inFiles = CrdSchemas.load(RepoFiles.chart().resolve("crds")).kinds();
        List<CustomResourceDefinition> crds = chart.all(CustomResourceDefinition.class);
        Set<String> rendered = crds.stream().map(c -> c.getSpec().getNames().getKind()).collect(Collectors.toSet());
        assertEquals(inFiles, rendered, "helm template --include-crds renders charts/bourse/crds/");
        if (!crds.isEmpty()) {
            assertEquals(Set.of("TradingSymbol", "TradingSwitch", "WalletPolicy", "LedgerReconciliation"), rendered);
            crds.forEach(c -> assertEquals("trading.bourse.dev", c.getSpec().getGroup()));
        }
    }

    @Test
    void aSettingsChangeRollsTheEnginePodsButLabelsAloneDoNot() {
        String base = checksum(RenderedChart.render());
        assertEquals(base, checksum(RenderedChart.render("--set", "commonLabels.team=x")),
                "labels are not settings: no rollout");
        assertFalse(base.equals(checksum(RenderedChart.render("--set", "engine.settings.QUEUE_CAPACITY=1024"))),
                "a new engine setting must change the pod template");
    }

    private static String checksum(RenderedChart c) {
        return c.one(StatefulSet.class).getSpec().getTemplate().getMetadata().getAnnotations().get("checksum/config");
    }

    @Test
    void hostnameModeTakesTheShardFromThePodNameWithAShell() throws Exception {
        RenderedChart c = RenderedChart.render("--set", "engine.shardIdFrom=hostname");
        Container e = Pods.container(c.one(StatefulSet.class).getSpec().getTemplate().getSpec(), "engine");
        assertFalse(Pods.hasEnv(e, "SHARD_ID"));
        assertEquals(List.of("java", "-jar", "/app/exchange-engine-server.jar", "run"), e.getArgs());
        // Run the rendered entrypoint as the kubelet would, with a harmless program in place of java.
        List<String> cmd = new ArrayList<>(e.getCommand());
        cmd.addAll(List.of("printenv", "SHARD_ID"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("HOSTNAME", "bourse-engine-12");
        Process p = pb.start();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertEquals("12", new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
        assertEquals(0, p.exitValue());
    }
}
