package dev.bourse.server.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The observability files of the repository (alert rules, dashboards, docs/metrics.md, docs/runbook.md)
 * and the checks the ops tests share: metric names used in PromQL must be documented, runbook links must
 * resolve.
 */
final class OpsFiles {
    private static final Pattern METRIC = Pattern.compile("\\bbourse_[a-z0-9_]+");
    /** Series Micrometer derives from a timer, summary or histogram (documented under the base name). */
    private static final List<String> DERIVED = List.of("_bucket", "_count", "_sum", "_max");
    private static final Pattern ANCHOR = Pattern.compile("<a id=\"([a-z0-9-]+)\"></a>");

    private OpsFiles() {
    }

    /** The repository root: failsafe and surefire run in engine/server, so walk up to the directory with ops/. */
    static Path root() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("ops/alerts")) && Files.isRegularFile(dir.resolve("docs/metrics.md"))) {
                return dir;
            }
        }
        throw new AssertionError("repository root with ops/alerts and docs/metrics.md not found above "
                + Path.of("").toAbsolutePath());
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + p + ": " + e.getMessage(), e);
        }
    }

    static List<Path> list(Path dir, String suffix) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new AssertionError("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    /** {@code bourse_*} names in a text (PromQL, YAML, JSON). */
    static Set<String> metricNames(String text) {
        Set<String> names = new TreeSet<>();
        Matcher m = METRIC.matcher(text);
        while (m.find()) {
            names.add(m.group());
        }
        return names;
    }

    /** The names of {@code used} that docs/metrics.md does not document (as {@code `name`}, or its base name). */
    static List<String> undocumented(Set<String> used, String metricsDoc) {
        List<String> missing = new ArrayList<>();
        for (String name : used) {
            if (metricsDoc.contains("`" + name + "`")) {
                continue;
            }
            boolean derived = false;
            for (String suffix : DERIVED) {
                if (name.endsWith(suffix)
                        && metricsDoc.contains("`" + name.substring(0, name.length() - suffix.length()) + "`")) {
                    derived = true;
                }
            }
            if (!derived) {
                missing.add(name);
            }
        }
        return missing;
    }

    /** The explicit anchors ({@code <a id="...">}) of a Markdown file. */
    static Set<String> anchors(String markdown) {
        Set<String> ids = new TreeSet<>();
        Matcher m = ANCHOR.matcher(markdown);
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    /** One alerting rule as written in ops/alerts/bourse-rules.yml. */
    record Alert(String name, String expr, String severity, String summary, String description, String runbookUrl) {
    }

    /**
     * The alerting rules of a rules file in the layout bourse-rules.yml uses ({@code - alert:} items with
     * {@code expr}, {@code labels.severity} and the three annotations). promtool validates the YAML
     * itself; this only reads the fields the checks need.
     */
    static Map<String, Alert> alerts(String rulesYaml) {
        Map<String, Alert> out = new LinkedHashMap<>();
        String[] blocks = rulesYaml.split("\n\\s+- alert: ");
        for (int i = 1; i < blocks.length; i++) {
            String b = blocks[i];
            String name = b.substring(0, b.indexOf('\n')).trim();
            String expr = between(b, "expr:", "\n        labels:");
            out.put(name, new Alert(name, expr, field(b, "severity"), field(b, "summary"), field(b, "description"),
                    field(b, "runbook_url")));
        }
        return out;
    }

    private static String between(String s, String from, String to) {
        int a = s.indexOf(from);
        int b = s.indexOf(to, a);
        return a < 0 || b < 0 ? "" : s.substring(a + from.length(), b).trim();
    }

    /** A scalar field of the block; folded ({@code >-}) values are joined up to the next key. */
    private static String field(String block, String key) {
        Matcher m = Pattern.compile("\n(\\s+)" + key + ": ?(.*)").matcher(block);
        if (!m.find()) {
            return null;
        }
        String v = m.group(2).trim();
        if (!v.equals(">-") && !v.equals(">") && !v.isEmpty()) {
            return v.replaceAll("^\"|\"$", "");
        }
        int indent = m.group(1).length();
        StringBuilder sb = new StringBuilder();
        for (String line : block.substring(m.end()).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            int lead = line.length() - line.stripLeading().length();
            if (lead <= indent) {
                break;
            }
            sb.append(sb.isEmpty() ? "" : " ").append(line.trim());
        }
        return sb.toString();
    }
}
