package dev.bourse.operator.chart;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code helm lint --strict}: warnings fail too, and every value a template reads must exist in values.yaml. */
class ChartLintTest {
    @ParameterizedTest(name = "values: {0}")
    @ValueSource(strings = {"defaults", "ci/all-on-values.yaml"})
    void lintsCleanInStrictMode(String values) {
        List<String> args = new ArrayList<>(List.of("lint", "--strict", RepoFiles.chart().toString()));
        if (!values.equals("defaults")) {
            args.addAll(List.of("-f", RepoFiles.chart().resolve(values).toString()));
        }
        Helm.Result r = Helm.run(args);
        assertEquals(0, r.exit(), r.both());
        assertTrue(r.out().contains("1 chart(s) linted, 0 chart(s) failed"), r.both());
    }
}
