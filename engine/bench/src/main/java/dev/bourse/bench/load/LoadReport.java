package dev.bourse.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * The result of a load run as {@code report.json} (for scripts and other benchmarks) and {@code report.html}
 * (a self-contained page with SVG charts a person can open: throughput and latency per second, the latency
 * percentile table, operations, reject reasons, failures and the clients' own counters).
 */
public final class LoadReport {
    static final double[] PERCENTILES = {50, 90, 99, 99.9, 100};
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Map<String, Object> plan;
    private final double seconds;
    private final LoadRecorder rec;
    private final Map<String, Object> clients;
    private final Histogram ack;
    private final Histogram lag;
    private final Histogram ordersPush;
    private final Histogram tradesPush;
    private final List<LoadRecorder.Interval> timeline;

    /**
     * @param plan    what was run (options), shown first
     * @param seconds the measured period
     * @param clients counters of the SDK clients at the end of the run (REST gate, WebSocket stats), may be empty
     */
    public LoadReport(Map<String, Object> plan, double seconds, LoadRecorder rec, Map<String, Object> clients) {
        this.plan = plan;
        this.seconds = seconds;
        this.rec = rec;
        this.clients = clients;
        this.ack = rec.ackHistogram();
        this.lag = rec.lagHistogram();
        this.ordersPush = rec.pushHistogram(LoadRecorder.Push.ORDERS);
        this.tradesPush = rec.pushHistogram(LoadRecorder.Push.TRADES);
        this.timeline = rec.timeline();
    }

    public LoadReport(Map<String, Object> plan, double seconds, LoadRecorder rec) {
        this(plan, seconds, rec, Map.of());
    }

    /** Answers (accepted or refused) per second over the measured period. */
    public double answeredPerSecond() {
        return seconds <= 0 ? 0 : (rec.acceptedCount() + rec.rejectedCount()) / seconds;
    }

    public double acceptedPerSecond() {
        return seconds <= 0 ? 0 : rec.acceptedCount() / seconds;
    }

    public long ackMicrosAt(double percentile) {
        return ack.getTotalCount() == 0 ? 0 : ack.getValueAtPercentile(percentile);
    }

    public long pushMicrosAt(LoadRecorder.Push kind, double percentile) {
        Histogram h = kind == LoadRecorder.Push.ORDERS ? ordersPush : tradesPush;
        return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile);
    }

    public LoadRecorder recorder() {
        return rec;
    }

    /** One line for a terminal or a log: rates, ack and push percentiles, refusals and failures. */
    public String summary() {
        return String.format(Locale.ROOT,
                "%s %s/s offered for %.0f s: %.0f answers/s (%.0f accepted/s), refused %d, failed %d, fills %d; "
                        + "ack p50 %s p99 %s p99.9 %s; orders push p50 %s p99 %s; trades push p99 %s",
                plan.getOrDefault("entry", "?"), plan.getOrDefault("rate", "?"), seconds, answeredPerSecond(),
                acceptedPerSecond(), rec.rejectedCount(), rec.failedCount(), rec.fillCount(), micros(ackMicrosAt(50)),
                micros(ackMicrosAt(99)), micros(ackMicrosAt(99.9)), micros(pushMicrosAt(LoadRecorder.Push.ORDERS, 50)),
                micros(pushMicrosAt(LoadRecorder.Push.ORDERS, 99)), micros(pushMicrosAt(LoadRecorder.Push.TRADES, 99)));
    }

    public ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.set("plan", JSON.valueToTree(plan));
        root.put("measuredSeconds", round(seconds));
        ObjectNode totals = root.putObject("totals");
        totals.put("sent", rec.sentCount());
        totals.put("accepted", rec.acceptedCount());
        totals.put("rejected", rec.rejectedCount());
        totals.put("failed", rec.failedCount());
        totals.put("fills", rec.fillCount());
        totals.put("ordersPushes", rec.pushCount(LoadRecorder.Push.ORDERS));
        totals.put("tradesPushes", rec.pushCount(LoadRecorder.Push.TRADES));
        ObjectNode rates = root.putObject("throughputPerSecond");
        rates.put("sent", round(seconds <= 0 ? 0 : rec.sentCount() / seconds));
        rates.put("answered", round(answeredPerSecond()));
        rates.put("accepted", round(acceptedPerSecond()));
        root.set("operations", JSON.valueToTree(rec.operations()));
        root.set("ackLatencyMicros", percentiles(ack));
        root.set("ordersPushLatencyMicros", percentiles(ordersPush));
        root.set("tradesPushLatencyMicros", percentiles(tradesPush));
        root.set("sendLagMicros", percentiles(lag));
        root.set("rejectReasons", JSON.valueToTree(rec.rejectReasons()));
        root.set("failures", JSON.valueToTree(rec.failures()));
        root.set("clients", JSON.valueToTree(clients));
        ArrayNode t = root.putArray("timeline");
        for (LoadRecorder.Interval i : timeline) {
            t.add(JSON.valueToTree(i));
        }
        return root;
    }

    private static ObjectNode percentiles(Histogram h) {
        ObjectNode n = JSON.createObjectNode();
        n.put("count", h.getTotalCount());
        for (double p : PERCENTILES) {
            n.put(label(p), h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(p));
        }
        n.put("mean", round(h.getTotalCount() == 0 ? 0 : h.getMean()));
        return n;
    }

    static String label(double p) {
        return p == 100 ? "max" : "p" + (p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p));
    }

    /** Writes report.json and report.html into {@code dir}; returns the HTML file. */
    public Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("report.json"), JSON.writeValueAsString(toJson()), StandardCharsets.UTF_8);
        Path html = dir.resolve("report.html");
        Files.writeString(html, toHtml(), StandardCharsets.UTF_8);
        return html;
    }

    public String toHtml() {
        StringBuilder b = new StringBuilder(16_384);
        b.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>Bourse load run</title><style>")
                .append("body{font:14px system-ui,sans-serif;margin:24px;color:#222}table{border-collapse:collapse}")
                .append("td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}th{background:#f3f3f3}")
                .append("td:first-child,th:first-child{text-align:left}h2{margin-top:28px}")
                .append(".legend span{margin-right:16px}</style></head><body>");
        b.append("<h1>Bourse load run</h1><p>");
        plan.forEach((k, v) -> b.append("<b>").append(esc(k)).append("</b> ").append(esc(String.valueOf(v))).append(" &nbsp; "));
        b.append("</p>");
        b.append(String.format(Locale.ROOT, "<p>Measured %.1f s: sent %d, accepted %d, refused %d, failed %d, fills %d "
                        + "&mdash; <b>%.0f answers/s</b> (%.0f accepted/s); ack p50 %s, p99 %s, p99.9 %s, max %s.</p>",
                seconds, rec.sentCount(), rec.acceptedCount(), rec.rejectedCount(), rec.failedCount(), rec.fillCount(),
                answeredPerSecond(), acceptedPerSecond(), micros(ackMicrosAt(50)), micros(ackMicrosAt(99)),
                micros(ackMicrosAt(99.9)), micros(ack.getMaxValue())));
        b.append("<p>Latencies count from each request's <i>intended</i> send time on the open-loop schedule, so a "
                + "stall of the exchange shows in full (no coordinated omission). The last point of each chart is "
                + "the drain after the schedule ended.</p>");
        b.append("<h2>Throughput per second</h2>");
        chart(b, "requests/s", List.of(
                new Series("sent", "#888", LoadRecorder.Interval::sent),
                new Series("accepted", "#1a7f37", LoadRecorder.Interval::accepted),
                new Series("refused", "#d1242f", LoadRecorder.Interval::rejected),
                new Series("failed", "#8250df", LoadRecorder.Interval::failed)));
        b.append("<h2>Ack latency per second</h2>");
        chart(b, "µs", List.of(
                new Series("p50", "#0969da", LoadRecorder.Interval::ackP50),
                new Series("p99", "#bf8700", LoadRecorder.Interval::ackP99),
                new Series("max", "#d1242f", LoadRecorder.Interval::ackMax)));
        if (ordersPush.getTotalCount() + tradesPush.getTotalCount() > 0) {
            b.append("<h2>WebSocket push latency per second</h2>");
            chart(b, "µs", List.of(
                    new Series("orders p50", "#0969da", LoadRecorder.Interval::ordersPushP50),
                    new Series("orders p99", "#bf8700", LoadRecorder.Interval::ordersPushP99),
                    new Series("trades p50", "#1a7f37", LoadRecorder.Interval::tradesPushP50),
                    new Series("trades p99", "#d1242f", LoadRecorder.Interval::tradesPushP99)));
        }
        b.append("<h2>Latency percentiles</h2><table><tr><th></th>");
        for (double p : PERCENTILES) {
            b.append("<th>").append(label(p)).append("</th>");
        }
        b.append("<th>count</th></tr>");
        row(b, "order ack (from intended send)", ack);
        row(b, "orders push (from send)", ordersPush);
        row(b, "trades push (from trade ts)", tradesPush);
        row(b, "send lag behind schedule", lag);
        b.append("</table>");
        b.append("<h2>Operations</h2><table><tr><th>operation</th><th>sent</th><th>accepted</th><th>refused</th>"
                + "<th>failed</th></tr>");
        rec.operations().forEach((k, v) -> b.append("<tr><td>").append(esc(k)).append("</td><td>").append(v.sent())
                .append("</td><td>").append(v.accepted()).append("</td><td>").append(v.rejected()).append("</td><td>")
                .append(v.failed()).append("</td></tr>"));
        b.append("</table>");
        b.append("<h2>Refusals (sCode and sMsg)</h2>");
        table(b, rec.rejectReasons(), "code and message");
        b.append("<h2>Failures (no answer)</h2>");
        table(b, rec.failures(), "kind");
        if (!clients.isEmpty()) {
            b.append("<h2>Client counters at the end</h2><table><tr><th>counter</th><th>value</th></tr>");
            flatten(b, "", JSON.valueToTree(clients));
            b.append("</table>");
        }
        b.append("</body></html>");
        return b.toString();
    }

    private static void flatten(StringBuilder b, String prefix, JsonNode n) {
        if (n.isObject()) {
            n.fields().forEachRemaining(e -> flatten(b, prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(),
                    e.getValue()));
        } else {
            b.append("<tr><td>").append(esc(prefix)).append("</td><td>").append(esc(n.asText())).append("</td></tr>");
        }
    }

    private record Series(String name, String color, ToLongFunction<LoadRecorder.Interval> value) {
    }

    private void chart(StringBuilder b, String unit, List<Series> series) {
        int w = 900;
        int h = 260;
        int left = 70;
        int bottom = 30;
        long max = 1;
        for (LoadRecorder.Interval i : timeline) {
            for (Series s : series) {
                max = Math.max(max, s.value().applyAsLong(i));
            }
        }
        int n = Math.max(1, timeline.size() - 1);
        b.append("<svg width=\"").append(w).append("\" height=\"").append(h).append("\" viewBox=\"0 0 ")
                .append(w).append(' ').append(h).append("\" xmlns=\"http://www.w3.org/2000/svg\">");
        b.append("<rect x=\"").append(left).append("\" y=\"10\" width=\"").append(w - left - 10).append("\" height=\"")
                .append(h - bottom - 10).append("\" fill=\"none\" stroke=\"#ccc\"/>");
        for (int g = 0; g <= 4; g++) {
            double y = 10 + (h - bottom - 10) * (1 - g / 4.0);
            b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%d %s</text>",
                    left - 4, y + 4, max * g / 4, esc(unit)));
        }
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\">second of the run →</text>",
                left, h - 8));
        for (Series s : series) {
            StringBuilder pts = new StringBuilder();
            for (int k = 0; k < timeline.size(); k++) {
                double x = left + (w - left - 10) * (double) k / n;
                double y = 10 + (h - bottom - 10) * (1 - (double) s.value().applyAsLong(timeline.get(k)) / max);
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            b.append("<polyline fill=\"none\" stroke-width=\"1.5\" stroke=\"").append(s.color()).append("\" points=\"")
                    .append(pts).append("\"/>");
        }
        b.append("</svg><div class=\"legend\">");
        for (Series s : series) {
            b.append("<span style=\"color:").append(s.color()).append("\">&#9632; ").append(esc(s.name())).append("</span>");
        }
        b.append("</div>");
    }

    private static void row(StringBuilder b, String name, Histogram h) {
        b.append("<tr><td>").append(name).append("</td>");
        for (double p : PERCENTILES) {
            b.append("<td>").append(h.getTotalCount() == 0 ? "&ndash;" : micros(h.getValueAtPercentile(p))).append("</td>");
        }
        b.append("<td>").append(h.getTotalCount()).append("</td></tr>");
    }

    private static void table(StringBuilder b, Map<String, Long> m, String what) {
        if (m.isEmpty()) {
            b.append("<p>none</p>");
            return;
        }
        b.append("<table><tr><th>").append(what).append("</th><th>count</th></tr>");
        m.forEach((k, v) -> b.append("<tr><td>").append(esc(k)).append("</td><td>").append(v).append("</td></tr>"));
        b.append("</table>");
    }

    static String micros(long us) {
        if (us >= 1_000_000) {
            return String.format(Locale.ROOT, "%.2f s", us / 1e6);
        }
        if (us >= 1_000) {
            return String.format(Locale.ROOT, "%.2f ms", us / 1e3);
        }
        return us + " µs";
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
