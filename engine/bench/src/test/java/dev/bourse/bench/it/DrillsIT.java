package dev.bourse.bench.it;

import dev.bourse.bench.drills.Drill;
import dev.bourse.bench.drills.DrillReport;
import dev.bourse.bench.drills.OrderBookGapDrill;
import dev.bourse.bench.drills.RateLimitStormDrill;
import dev.bourse.bench.drills.SlowHandlerDrill;
import dev.bourse.bench.drills.WsNetworkLossDrill;
import dev.bourse.testkit.DevEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The four drills of runbook §7, each through its Java entry point, against one dev engine process: all PASS. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(90)
class DrillsIT {
    private DevEngine engine;

    @BeforeAll
    void start() throws Exception {
        engine = DevEngine.start("bench-drills-it", Map.of());
    }

    @AfterAll
    void stop() {
        if (engine != null) {
            engine.close();
        }
    }

    static List<Drill> drills() {
        return List.of(new RateLimitStormDrill(), new WsNetworkLossDrill(), new SlowHandlerDrill(),
                new OrderBookGapDrill());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("drills")
    void passes(Drill drill) {
        String[] args = {"--url", engine.baseUrl(), "--internal-token", DevEngine.INTERNAL_TOKEN,
                "--admin-token", DevEngine.ADMIN_TOKEN};
        // shorter storm; a slower handler so that even a burst spread out by a busy machine overflows its queue
        String[] shorter = switch (drill) {
            case RateLimitStormDrill d -> concat(args, "--storm", "4s", "--baseline", "1s");
            case SlowHandlerDrill d -> concat(args, "--handler-ms", "40");
            default -> args;
        };
        DrillReport r = Drill.run(drill, shorter, System.out);
        assertTrue(r.passed(), r.toString());
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
