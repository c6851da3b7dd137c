package dev.bourse.operator.chart;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.bourse.operator.model.LedgerReconciliation;
import dev.bourse.operator.model.TradingSwitch;
import dev.bourse.operator.model.TradingSwitchSpec;
import dev.bourse.operator.model.TradingSymbol;
import dev.bourse.operator.model.TradingSymbolSpec;
import dev.bourse.operator.model.WalletPolicy;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.kubernetes.client.CustomResource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ops/examples: one manifest per runbook action. Each must be a resource the API server accepts: checked against
 * the Java model (unknown fields, enums, the generator annotations), against the CRDs generated from that model, and
 * against the CRD files in charts/bourse/crds when they exist.
 */
class OpsExamplesTest {
    private static final Path EXAMPLES = RepoFiles.resolve("ops/examples");
    private static final YAMLMapper STRICT = (YAMLMapper) new YAMLMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    private static final Map<String, Class<? extends CustomResource<?, ?>>> KINDS = Map.of(
            "TradingSymbol", TradingSymbol.class, "TradingSwitch", TradingSwitch.class,
            "WalletPolicy", WalletPolicy.class, "LedgerReconciliation", LedgerReconciliation.class);
    /** The runbook's actions (exchange runbook §3, §4.1, §5) and the example for each. */
    private static final List<String> RUNBOOK_ACTIONS = List.of("global-pause-orders.yaml", "global-cancel-only.yaml",
            "global-read-only.yaml", "halt-withdrawals.yaml", "halt-symbol.yaml", "halt-symbol-switch.yaml",
            "throttle-hot-symbol.yaml", "symbol-market-data-read-only.yaml", "tighten-price-band.yaml",
            "disable-market-orders.yaml", "freeze-user.yaml", "freeze-asset.yaml", "pre-release-drain.yaml",
            "run-reconciliation.yaml", "list-symbol.yaml", "wallet-policy.yaml", "wallet-close-asset.yaml",
            "wallet-resume-withdrawals.yaml");

    private static CrdSchemas generated;
    private static CrdSchemas shipped;

    @BeforeAll
    static void schemas() throws IOException {
        Path out = Path.of("target", "chart-test-crds").toAbsolutePath();
        deleteTree(out);
        Files.createDirectories(out);
        new CRDGenerator().inOutputDir(out.toFile()).forCRDVersions("v1")
                .customResourceClasses(TradingSymbol.class, TradingSwitch.class, WalletPolicy.class,
                        LedgerReconciliation.class)
                .generate();
        generated = CrdSchemas.load(out);
        shipped = CrdSchemas.load(RepoFiles.chart().resolve("crds"));
    }

    static Stream<String> examples() {
        return RepoFiles.list(EXAMPLES, "").stream().map(p -> p.getFileName().toString());
    }

    @Test
    void everyRunbookActionHasAnExampleAndNothingElseLivesThere() {
        List<String> files = examples().toList();
        for (String action : RUNBOOK_ACTIONS) {
            assertTrue(files.contains(action), "missing ops/examples/" + action);
        }
        files.forEach(f -> assertTrue(f.endsWith(".yaml"), f));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void exampleSaysWhenToUseItAndHowToApplyIt(String file) {
        String text = RepoFiles.read(EXAMPLES.resolve(file));
        List<String> header = text.lines().takeWhile(l -> l.startsWith("#")).toList();
        assertFalse(header.isEmpty(), file + " starts with a comment saying what it is for");
        String h = String.join("\n", header);
        assertTrue(h.contains("# When:"), file + ": the header says when to use it");
        assertTrue(h.contains("kubectl "), file + ": the header shows the kubectl command");
        assertTrue(RepoFiles.read(RepoFiles.resolve("docs/operations.md")).contains("ops/examples/" + file),
                "docs/operations.md maps a runbook step to " + file);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void exampleIsAValidCustomResource(String file) throws IOException {
        JsonNode doc = STRICT.readTree(EXAMPLES.resolve(file).toFile());
        assertEquals("trading.bourse.dev/v1", doc.path("apiVersion").asText(), file);
        String kind = doc.path("kind").asText();
        assertTrue(KINDS.containsKey(kind), file + ": unknown kind " + kind);
        JsonNode meta = doc.path("metadata");
        assertFalse(meta.has("namespace"), file + ": no namespace, so it lands where the release is (kubectl -n)");
        if (kind.equals("LedgerReconciliation")) {
            assertTrue(meta.path("generateName").asText().matches("[a-z0-9][a-z0-9-]*-"), file);
        } else {
            assertTrue(meta.path("name").asText().matches("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?"),
                    file + ": metadata.name is a DNS label (it is the engine's switch/policy name too)");
        }
        assertEquals(List.of(), problems(kind, doc), file);
    }

    @Test
    void haltingASymbolChangesOnlyItsStateAndReason() throws IOException {
        JsonNode listed = STRICT.readTree(EXAMPLES.resolve("list-symbol.yaml").toFile());
        JsonNode halted = STRICT.readTree(EXAMPLES.resolve("halt-symbol.yaml").toFile());
        assertEquals(listed.path("metadata"), halted.path("metadata"), "the same TradingSymbol object");
        assertEquals("Trading", listed.at("/spec/state").asText());
        assertEquals("Halted", halted.at("/spec/state").asText());
        assertEquals(withoutStateAndReason(listed), withoutStateAndReason(halted),
                "applying the halt must not change the trading rules");
    }

    @Test
    void walletExamplesAreOnePolicyInDifferentStates() throws IOException {
        JsonNode normal = STRICT.readTree(EXAMPLES.resolve("wallet-policy.yaml").toFile());
        JsonNode closed = STRICT.readTree(EXAMPLES.resolve("wallet-close-asset.yaml").toFile());
        JsonNode resume = STRICT.readTree(EXAMPLES.resolve("wallet-resume-withdrawals.yaml").toFile());
        for (JsonNode n : List.of(closed, resume)) {
            assertEquals(normal.path("metadata"), n.path("metadata"));
            assertEquals(normal.at("/spec/asset"), n.at("/spec/asset"));
        }
        assertFalse(closed.at("/spec/depositsEnabled").asBoolean());
        assertFalse(closed.at("/spec/withdrawalsEnabled").asBoolean());
        assertTrue(resume.at("/spec/whitelistRequired").asBoolean());
        assertTrue(Double.parseDouble(resume.at("/spec/maxWithdrawal").asText())
                < Double.parseDouble(normal.at("/spec/maxWithdrawal").asText()), "gradual: smaller amounts first");
    }

    @Test
    void preReleaseDrainIsAGlobalDrainAndTheDocsWaitForDrained() throws IOException {
        TradingSwitch drain = STRICT.treeToValue(STRICT.readTree(EXAMPLES.resolve("pre-release-drain.yaml").toFile()),
                TradingSwitch.class);
        assertTrue(drain.getSpec().drain);
        assertTrue(drain.getSpec().scope.global);
        String docs = RepoFiles.read(RepoFiles.resolve("docs/operations.md"));
        assertTrue(docs.contains("kubectl apply -f ops/examples/pre-release-drain.yaml && kubectl wait tradingswitch/"
                + drain.getMetadata().getName() + " --for=condition=Drained --timeout="), docs.length() + " chars");
    }

    @Test
    void theChecksCatchWhatTheApiServerWouldRefuseOrDrop() throws IOException {
        String base = "apiVersion: trading.bourse.dev/v1\nkind: TradingSwitch\nmetadata: {name: x}\nspec:\n";
        assertFalse(problems("TradingSwitch", STRICT.readTree(base + "  scope: {global: true}\n  mode: PauseOrders\n"))
                .isEmpty(), "reason is required");
        assertFalse(problems("TradingSwitch", STRICT.readTree(base
                + "  scope: {global: true}\n  mode: Paused\n  reason: r\n")).isEmpty(), "mode is an enum");
        assertFalse(problems("TradingSwitch", STRICT.readTree(base
                + "  scope: {global: true}\n  mdoe: PauseOrders\n  reason: r\n")).isEmpty(), "typo in a field name");
        assertFalse(problems("TradingSwitch", STRICT.readTree(base
                + "  scope: {symbols: []}\n  reason: r\n")).isEmpty(), "at least one symbol");
        assertFalse(problems("TradingSwitch", STRICT.readTree(base
                + "  scope: {global: true}\n  priceBandBps: 0\n  reason: r\n")).isEmpty(), "band 1..9999");
        assertFalse(problems("TradingSwitch", STRICT.readTree(base
                + "  scope: {global: true, users: [1]}\n  reason: r\n")).isEmpty(), "exactly one scope");
        String sym = RepoFiles.read(EXAMPLES.resolve("list-symbol.yaml"));
        assertFalse(problems("TradingSymbol", STRICT.readTree(sym.replace("tickSz: \"0.1\"", "tickSz: \"0,1\"")))
                .isEmpty(), "decimals are dot-separated strings");
        assertFalse(problems("TradingSymbol", STRICT.readTree(sym.replace("instId: BTC-USDT", "instId: BTC-USD")))
                .isEmpty(), "instId is baseCcy-quoteCcy");
        assertTrue(problems("TradingSymbol", STRICT.readTree(sym)).isEmpty());
    }

    /** Everything wrong with a resource: model, generated schema, shipped schema, and two CEL rules of the model. */
    private static List<String> problems(String kind, JsonNode doc) {
        List<String> out = new ArrayList<>();
        CustomResource<?, ?> cr;
        try {
            cr = STRICT.treeToValue(doc, KINDS.get(kind));
        } catch (IOException e) {
            return List.of("does not fit the model: " + e.getMessage());
        }
        assertNotNull(cr.getSpec(), "spec");
        out.addAll(ModelRules.problems(cr.getSpec()));
        out.addAll(generated.validate(kind, doc).stream().map(p -> "generated CRD: " + p).toList());
        if (shipped.has(kind)) {
            out.addAll(shipped.validate(kind, doc).stream().map(p -> "charts/bourse/crds: " + p).toList());
        }
        // The CRDs' x-kubernetes-validations (CEL) run only in the API server; these two are cheap to mirror.
        if (cr.getSpec() instanceof TradingSwitchSpec s && s.scope != null) {
            int scopes = (s.scope.global != null ? 1 : 0) + (s.scope.symbols != null ? 1 : 0)
                    + (s.scope.users != null ? 1 : 0) + (s.scope.assets != null ? 1 : 0);
            if (scopes != 1) {
                out.add("scope must name exactly one of global, symbols, users, assets");
            }
        }
        if (cr.getSpec() instanceof TradingSymbolSpec s && s.instId != null
                && !s.instId.equals(s.baseCcy + "-" + s.quoteCcy)) {
            out.add("instId must be baseCcy-quoteCcy");
        }
        return out;
    }

    private static JsonNode withoutStateAndReason(JsonNode doc) {
        ObjectNode spec = doc.path("spec").deepCopy();
        spec.remove("state");
        spec.remove("reason");
        return spec;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
