package dev.bourse.operator.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** The objects {@code helm template} rendered, as fabric8 model objects (unknown kinds as generic resources). */
final class RenderedChart {
    static final String RELEASE = "bourse";
    static final String NAMESPACE = "trading";
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final KubernetesSerialization K8S = new KubernetesSerialization();

    private final List<HasMetadata> objects;

    private RenderedChart(List<HasMetadata> objects) {
        this.objects = objects;
    }

    /** {@code helm template bourse charts/bourse -n trading <args>}; fails the test when helm does. */
    static RenderedChart render(String... args) {
        Helm.Result r = Helm.run(templateArgs(args));
        if (r.exit() != 0) {
            throw new AssertionError("helm template failed (exit " + r.exit() + "):\n" + r.both());
        }
        return parse(r.out());
    }

    /** The same command, expected to fail: returns what helm printed. */
    static Helm.Result renderFailing(String... args) {
        return Helm.run(templateArgs(args));
    }

    private static List<String> templateArgs(String... args) {
        List<String> cmd = new ArrayList<>(List.of("template", RELEASE, RepoFiles.chart().toString(), "--namespace",
                NAMESPACE));
        cmd.addAll(List.of(args));
        return cmd;
    }

    static RenderedChart parse(String multiDocYaml) {
        List<HasMetadata> out = new ArrayList<>();
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(multiDocYaml)) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc == null || doc.isNull() || doc.isMissingNode() || doc.isEmpty()) {
                    continue;
                }
                KubernetesResource r = K8S.convertValue(doc, KubernetesResource.class);
                if (!(r instanceof HasMetadata h)) {
                    throw new AssertionError("rendered a document without metadata: " + doc);
                }
                out.add(h);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("rendered YAML does not parse", e);
        }
        return new RenderedChart(List.copyOf(out));
    }

    List<HasMetadata> all() {
        return objects;
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> T one(Class<T> type) {
        List<T> found = all(type);
        if (found.size() != 1) {
            throw new AssertionError("expected one " + type.getSimpleName() + ", rendered " + found.size());
        }
        return found.get(0);
    }

    <T extends HasMetadata> T named(Class<T> type, String name) {
        return all(type).stream().filter(o -> name.equals(o.getMetadata().getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name + " rendered; have "
                        + all(type).stream().map(o -> o.getMetadata().getName()).toList()));
    }

    /** Objects of a kind that fabric8 has no model class for (ServiceMonitor, PrometheusRule, ...). */
    List<GenericKubernetesResource> generic(String kind) {
        return all(GenericKubernetesResource.class).stream().filter(g -> kind.equals(g.getKind())).toList();
    }

    long count(String kind) {
        return objects.stream().filter(o -> kind.equals(o.getKind())).count();
    }
}
