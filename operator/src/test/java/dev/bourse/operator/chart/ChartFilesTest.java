package dev.bourse.operator.chart;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Helm reads only files inside the chart, so the alert rules and Grafana boards of ops/ are copied into
 * charts/bourse/files/. The copies must stay identical. To refresh them:
 * {@code cp ops/alerts/bourse-rules.yml charts/bourse/files/alerts/ && cp ops/dashboards/*.json charts/bourse/files/dashboards/}
 */
class ChartFilesTest {
    private static final String REFRESH = "refresh with: cp ops/alerts/bourse-rules.yml charts/bourse/files/alerts/ "
            + "&& rm charts/bourse/files/dashboards/*.json && cp ops/dashboards/*.json charts/bourse/files/dashboards/";

    @Test
    void alertRulesCopyIsIdentical() {
        assertSame(RepoFiles.resolve("ops/alerts/bourse-rules.yml"), RepoFiles.chart().resolve("files/alerts/bourse-rules.yml"));
        assertEquals(List.of("bourse-rules.yml"), names(RepoFiles.list(RepoFiles.chart().resolve("files/alerts"), "")),
                REFRESH);
    }

    @Test
    void dashboardCopiesAreIdentical() {
        List<Path> ops = RepoFiles.list(RepoFiles.resolve("ops/dashboards"), ".json");
        List<Path> copies = RepoFiles.list(RepoFiles.chart().resolve("files/dashboards"), "");
        assertFalse(ops.isEmpty());
        assertEquals(names(ops), names(copies), "the chart must carry every board of ops/dashboards and no other; " + REFRESH);
        for (Path p : ops) {
            assertSame(p, RepoFiles.chart().resolve("files/dashboards").resolve(p.getFileName()));
        }
    }

    private static void assertSame(Path original, Path copy) {
        assertEquals(RepoFiles.read(original), RepoFiles.read(copy), copy + " differs from " + original + "; " + REFRESH);
    }

    private static List<String> names(List<Path> files) {
        return files.stream().map(p -> p.getFileName().toString()).toList();
    }
}
