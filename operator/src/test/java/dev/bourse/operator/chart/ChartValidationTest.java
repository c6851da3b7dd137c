package dev.bourse.operator.chart;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Values the engine could not run with, and misspelt values, are refused when the chart renders (values.schema.json
 * and the chart's own checks), with the fix in the message.
 */
class ChartValidationTest {
    // Schema violations are reported by helm's JSON-schema validator (its wording differs between helm versions):
    // the message names the value. The chart's own checks name the fix.
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "database.sslMode=disable           | sslMode",
            "database.url=jdbc:h2:file:./data/x | database.url must be a PostgreSQL JDBC URL",
            "engine.shards=0                    | shards",
            "engine.shardIdFrom=random          | shardIdFrom",
            "engine.shard=3                     | 'shard'",
            "ingress.enable=true                | 'enable'",
            "engine.javaOpts=-XX:+UseZGC        | engine.javaOpts must set the heap size",
            "engine.settings.INTERNAL_TOKEN=abc | engine.settings.INTERNAL_TOKEN: secrets do not belong in a ConfigMap",
            "engine.settings.DB_URL=jdbc:postgresql://x/y | engine.settings.DB_URL is set by the chart: use database.url",
            "engine.settings.SHARD_ID=1         | engine.settings.SHARD_ID is set by the chart: use engine.shardIdFrom",
            "redis.existingSecret=r             | set redis.addr or redis.existingSecret, not both",
    })
    void refusesWithAClearMessage(String set, String message) {
        String[] args = set.startsWith("redis.existingSecret")
                ? new String[]{"--set", set, "--set", "redis.addr=redis:6379"}
                : new String[]{"--set", set};
        Helm.Result r = RenderedChart.renderFailing(args);
        assertNotEquals(0, r.exit(), "rendered although " + set);
        assertTrue(r.err().contains(message), "expected '" + message + "' in:\n" + r.err());
    }

    @Test
    void thePodIndexLabelNeedsKubernetes128() {
        Helm.Result r = RenderedChart.renderFailing("--kube-version", "1.27.3");
        assertNotEquals(0, r.exit());
        assertTrue(r.err().contains("set engine.shardIdFrom=hostname"), r.err());
        RenderedChart.render("--kube-version", "1.27.3", "--set", "engine.shardIdFrom=hostname");
    }
}
