package dev.bourse.server.reconcile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The one-line JSON outcome of a {@code reconcile --summary-file} run, for whoever started the job:
 * {@code {"clean":false,"anomalies":2,"reportId":17,"summary":"reconciliation: 2 ANOMALIES (...): ..."}},
 * or {@code {"clean":false,"error":"...","summary":"reconcile: ..."}} when the run could not complete.
 *
 * <p>Kubernetes keeps at most 4096 bytes of a container's termination message and cuts the rest, which
 * would leave broken JSON. The line is therefore built to fit: anomalies are added to the summary only
 * while they fit, and a text that still does not fit is cut on a character boundary.
 */
public final class RunSummary {
    /** Kubernetes' limit for one container's termination message, newline included. */
    public static final int MAX_BYTES = 4096;
    private static final String MORE = "; ...";
    private static final ObjectMapper JSON = new ObjectMapper();

    private RunSummary() {
    }

    /** The line for a completed run: its headline followed by as many listed anomalies as fit. */
    public static String of(Reconciler.Stored stored) {
        ReconciliationReport report = stored.report();
        String headline = report.toText().lines().findFirst().orElseThrow();
        List<String> items = report.anomalies().stream()
                .map(a -> a.check().id() + " " + a.subject() + ": expected " + a.expected() + ", actual " + a.actual())
                .toList();
        boolean moreExist = report.unlisted() > 0;
        StringBuilder summary = new StringBuilder(headline);
        int shown = 0;
        for (String item : items) {
            boolean last = shown == items.size() - 1 && !moreExist;
            String candidate = summary + (shown == 0 ? ": " : "; ") + item;
            if (!fits(completed(report, stored.reportId(), last ? candidate : candidate + MORE))) {
                break;
            }
            summary.setLength(0);
            summary.append(candidate);
            shown++;
        }
        if (shown < items.size() || moreExist) {
            summary.append(MORE);
        }
        return fit(text -> completed(report, stored.reportId(), text), summary.toString());
    }

    /** The line for a run that reached no conclusion (exit code 2). */
    public static String failed(String error) {
        return fit(text -> {
            ObjectNode o = JSON.createObjectNode();
            o.put("clean", false);
            o.put("error", text);
            o.put("summary", "reconcile: " + text);
            return o;
        }, error);
    }

    private static ObjectNode completed(ReconciliationReport report, long reportId, String summary) {
        ObjectNode o = JSON.createObjectNode();
        o.put("clean", report.clean());
        o.put("anomalies", report.anomalyCount());
        o.put("reportId", reportId);
        o.put("summary", summary);
        return o;
    }

    /** The object for {@code text}, or for the longest prefix of it (marked with an ellipsis) that fits. */
    private static String fit(java.util.function.Function<String, ObjectNode> build, String text) {
        String line = line(build.apply(text));
        if (bytes(line) <= MAX_BYTES) {
            return line;
        }
        int[] codePoints = text.codePoints().toArray();
        int lo = 0;
        int hi = codePoints.length;
        while (lo < hi) { // the longest prefix whose line fits
            int mid = (lo + hi + 1) >>> 1;
            if (bytes(line(build.apply(prefix(codePoints, mid)))) <= MAX_BYTES) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return line(build.apply(prefix(codePoints, lo)));
    }

    private static String prefix(int[] codePoints, int n) {
        return new String(codePoints, 0, n) + "…";
    }

    private static boolean fits(ObjectNode o) {
        return bytes(line(o)) <= MAX_BYTES;
    }

    private static String line(ObjectNode o) {
        try {
            return JSON.writeValueAsString(o) + "\n";
        } catch (JsonProcessingException e) { // strings and numbers always serialise
            throw new IllegalStateException(e);
        }
    }

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
