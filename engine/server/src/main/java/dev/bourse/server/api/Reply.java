package dev.bourse.server.api;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/** What an endpoint answers: OKX's envelope, and for trade operations its {@code inTime}/{@code outTime}. */
public record Reply(int status, String code, String msg, List<? extends JsonNode> data, boolean timed) {

    public static Reply ok(List<? extends JsonNode> data) {
        return new Reply(200, "0", "", data, false);
    }

    public static Reply ok(JsonNode one) {
        return ok(List.of(one));
    }

    /**
     * The result of order operations: code 0 when every item succeeded, 1 when all failed, 2 when some
     * did (OKX's per-item {@code sCode} tells which).
     */
    public static Reply ofItems(List<? extends JsonNode> items) {
        int ok = 0;
        for (JsonNode item : items) {
            if ("0".equals(item.path("sCode").asText())) {
                ok++;
            }
        }
        if (ok == items.size()) {
            return new Reply(200, "0", "", items, true);
        }
        if (ok == 0) {
            return new Reply(200, "1", "Operation failed.", items, true);
        }
        return new Reply(200, "2", "Bulk operation partially succeeded.", items, true);
    }
}
