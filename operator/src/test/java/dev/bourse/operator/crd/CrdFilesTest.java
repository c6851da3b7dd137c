package dev.bourse.operator.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.bourse.operator.model.LedgerReconciliation;
import dev.bourse.operator.model.TradingSwitch;
import dev.bourse.operator.model.TradingSymbol;
import dev.bourse.operator.model.WalletPolicy;
import io.fabric8.crdv2.generator.CRDGenerator;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The CRDs in {@code crds/} and {@code charts/bourse/crds/} are generated from the model classes by fabric8's
 * crd-generator. This test generates them afresh and fails when either checked-in copy differs; run it with
 * {@code -Dbourse.crds.write=true} to rewrite both copies.
 */
class CrdFilesTest {
    /** Every custom resource of the operator; a new one is added here. */
    static final List<Class<? extends io.fabric8.kubernetes.api.model.HasMetadata>> RESOURCES = List.of(
            TradingSymbol.class, TradingSwitch.class, WalletPolicy.class, LedgerReconciliation.class);
    static final String REGENERATE = "./mvnw -B -o -pl operator test -Dtest=CrdFilesTest -Dbourse.crds.write=true";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static Path repoRoot() {
        return Paths.get(System.getProperty("bourse.repo.root", "..")).toAbsolutePath().normalize();
    }

    /** Generates the CRDs into {@code dir}. */
    static void generate(Path dir) throws IOException {
        Files.createDirectories(dir);
        new CRDGenerator().inOutputDir(dir.toFile()).forCRDVersions("v1")
                .customResourceClasses(RESOURCES)
                .withParallelGenerationEnabled(false)
                .generate();
    }

    @Test
    void checkedInCopiesAreCurrent() throws IOException {
        Path fresh = Paths.get("target", "generated-crds");
        generate(fresh);
        Set<String> names = fileNames(fresh);
        assertEquals(RESOURCES.size(), names.size(), names.toString());
        boolean write = Boolean.getBoolean("bourse.crds.write");
        List<String> stale = new ArrayList<>();
        for (Path target : List.of(repoRoot().resolve("crds"), repoRoot().resolve("charts/bourse/crds"))) {
            if (write) {
                Files.createDirectories(target);
                for (String n : fileNames(target)) {
                    if (n.endsWith(".trading.bourse.dev-v1.yml") && !names.contains(n)) {
                        Files.delete(target.resolve(n));
                    }
                }
                for (String n : names) {
                    Files.copy(fresh.resolve(n), target.resolve(n), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
            for (String n : names) {
                Path have = target.resolve(n);
                if (!Files.isRegularFile(have) || !Files.readString(have).equals(Files.readString(fresh.resolve(n)))) {
                    stale.add(repoRoot().relativize(have).toString());
                }
            }
        }
        if (!stale.isEmpty()) {
            fail("stale or missing CRD files " + stale + "; the model changed. Regenerate both copies with:\n  " + REGENERATE);
        }
    }

    @Test
    void crdsCarryValidationPrinterColumnsShortNamesAndStatus() throws IOException {
        Path dir = repoRoot().resolve("crds");
        JsonNode symbol = read(dir.resolve("tradingsymbols.trading.bourse.dev-v1.yml"));
        assertEquals("trading.bourse.dev", symbol.at("/spec/group").asText());
        assertEquals("Namespaced", symbol.at("/spec/scope").asText());
        assertTrue(texts(symbol.at("/spec/names/shortNames")).containsAll(List.of("tsym", "symbol")));
        JsonNode v1 = symbol.at("/spec/versions/0");
        assertTrue(v1.at("/subresources/status").isObject(), "status subresource");
        assertTrue(v1.at("/served").asBoolean() && v1.at("/storage").asBoolean());
        Set<String> columns = new TreeSet<>();
        v1.at("/additionalPrinterColumns").forEach(c -> columns.add(c.path("name").asText()));
        assertTrue(columns.containsAll(List.of("InstId", "Desired", "State", "Shard", "Ready", "Age")), columns.toString());
        JsonNode spec = v1.at("/schema/openAPIV3Schema/properties/spec");
        assertTrue(rules(spec).contains("self.instId == self.baseCcy + '-' + self.quoteCcy"), rules(spec).toString());
        assertTrue(rules(spec).contains("self.instId == oldSelf.instId"));
        assertEquals(Set.of("Trading", "CancelOnly", "Halted"), Set.copyOf(texts(spec.at("/properties/state/enum"))));

        JsonNode sw = read(dir.resolve("tradingswitches.trading.bourse.dev-v1.yml"));
        JsonNode swSpec = sw.at("/spec/versions/0/schema/openAPIV3Schema/properties/spec");
        assertTrue(rules(swSpec.at("/properties/scope")).stream().anyMatch(r -> r.contains("== 1")), "exactly one scope");
        assertEquals(Set.of("Normal", "PauseOrders", "CancelOnly", "ReadOnly"), Set.copyOf(texts(swSpec.at("/properties/mode/enum"))));
        assertTrue(texts(swSpec.at("/required")).containsAll(List.of("scope", "reason")));
        assertTrue(sw.at("/spec/versions/0/subresources/status").isObject());

        JsonNode wp = read(dir.resolve("walletpolicies.trading.bourse.dev-v1.yml"));
        assertTrue(texts(wp.at("/spec/names/shortNames")).contains("wpol"));
        assertFalse(rules(wp.at("/spec/versions/0/schema/openAPIV3Schema/properties/spec")).isEmpty());
        JsonNode lr = read(dir.resolve("ledgerreconciliations.trading.bourse.dev-v1.yml"));
        assertTrue(rules(lr.at("/spec/versions/0/schema/openAPIV3Schema/properties/spec")).contains("self == oldSelf"));
    }

    private static JsonNode read(Path p) throws IOException {
        return YAML.readTree(Files.readString(p, StandardCharsets.UTF_8));
    }

    private static List<String> rules(JsonNode schema) {
        List<String> out = new ArrayList<>();
        schema.path("x-kubernetes-validations").forEach(r -> out.add(r.path("rule").asText()));
        return out;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static Set<String> fileNames(Path dir) throws IOException {
        Set<String> out = new TreeSet<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(Files::isRegularFile).forEach(p -> out.add(p.getFileName().toString()));
        }
        return out;
    }
}
