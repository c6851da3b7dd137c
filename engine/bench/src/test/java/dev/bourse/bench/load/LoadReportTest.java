package dev.bourse.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoadReportTest {

    @Test
    void totalsPercentilesAndTimelineComeFromWhatWasRecorded(@TempDir Path dir) throws Exception {
        LoadRecorder rec = new LoadRecorder();
        for (int i = 1; i <= 100; i++) {
            rec.sent("place.limit");
            rec.accepted("place.limit", i * 10L); // 10 .. 1000 µs
        }
        rec.tick(0);
        rec.sent("place.ioc");
        rec.rejected("place.ioc", "51008", "Order failed. Insufficient <balance>", 5_000);
        rec.sent("cancel");
        rec.failed("cancel", "timeout");
        rec.pushed(LoadRecorder.Push.ORDERS, 2_000);
        rec.pushed(LoadRecorder.Push.TRADES, 3_000);
        rec.pushed(LoadRecorder.Push.TRADES, 4_000);
        rec.lagged(70);
        rec.filled(3);
        rec.tick(1);

        Map<String, Object> plan = new LinkedHashMap<>();
        plan.put("traders", 4);
        plan.put("entry", "rest");
        plan.put("rate", 50.0);
        LoadReport report = new LoadReport(plan, 2.0, rec, Map.of("rest", Map.of("gateBackoffs", 2)));
        JsonNode json = report.toJson();

        assertEquals(102, json.at("/totals/sent").asLong());
        assertEquals(100, json.at("/totals/accepted").asLong());
        assertEquals(1, json.at("/totals/rejected").asLong());
        assertEquals(1, json.at("/totals/failed").asLong());
        assertEquals(3, json.at("/totals/fills").asLong());
        assertEquals(50.5, json.at("/throughputPerSecond/answered").asDouble(), 1e-9);
        assertEquals(101, json.at("/ackLatencyMicros/count").asLong());
        // HdrHistogram with 3 significant digits: p50 of 10..1000 step 10 plus one 5000 is 510 µs
        assertEquals(510, json.at("/ackLatencyMicros/p50").asLong(), 1);
        assertEquals(5_000, json.at("/ackLatencyMicros/max").asLong(), 5);
        assertEquals(1, json.at("/ordersPushLatencyMicros/count").asLong());
        assertEquals(2, json.at("/tradesPushLatencyMicros/count").asLong());
        assertEquals(4_000, json.at("/tradesPushLatencyMicros/max").asLong(), 4);
        assertEquals(70, json.at("/sendLagMicros/max").asLong());
        assertEquals(100, json.at("/operations/place.limit/accepted").asLong());
        assertEquals(1, json.at("/operations/place.ioc/rejected").asLong());
        assertEquals(1, json.at("/operations/cancel/failed").asLong());
        assertEquals(1, json.at("/rejectReasons/51008 Order failed. Insufficient <balance>").asLong());
        assertEquals(1, json.at("/failures/timeout").asLong());
        assertEquals(2, json.at("/clients/rest/gateBackoffs").asLong());
        assertEquals(2, json.at("/timeline").size());
        assertEquals(100, json.at("/timeline/0/accepted").asLong());
        assertEquals(1, json.at("/timeline/1/rejected").asLong());
        assertEquals(4_000, json.at("/timeline/1/tradesPushP99").asLong(), 4);
        assertTrue(report.summary().startsWith("rest 50.0/s offered for 2 s: 51 answers/s"), report.summary());

        Path html = report.write(dir);
        String page = Files.readString(html);
        assertTrue(page.contains("<polyline"), "charts drawn");
        assertTrue(page.contains("Insufficient &lt;balance&gt;"), "reasons escaped");
        assertTrue(page.contains("rest.gateBackoffs"), "client counters listed");
        assertTrue(Files.exists(dir.resolve("report.json")));
    }
}
