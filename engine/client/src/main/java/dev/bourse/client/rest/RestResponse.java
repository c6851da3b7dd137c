package dev.bourse.client.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bourse.client.error.ApiException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A successful answer ({@code code} "0"): OKX's envelope, the request id, and when the attempt that got it was
 * sent and answered (local clock, for {@code syncTime}).
 *
 * @param data      the envelope's {@code data} (an array; empty when absent)
 * @param inTime    the envelope's {@code inTime} (order operations; null otherwise)
 * @param attempt   0 for the first attempt
 */
public record RestResponse(int httpStatus, String method, String path, String requestId, String code, String msg,
                           JsonNode data, String inTime, String outTime, String body, long sentAtMillis,
                           long receivedAtMillis, int attempt, Duration elapsed) {

    /** Every element of {@code data} as {@code type}. */
    public <T> List<T> list(Class<T> type) {
        List<T> out = new ArrayList<>(data.size());
        for (JsonNode n : data) {
            out.add(Json.convert(n, type));
        }
        return out;
    }

    /** {@code data[0]} as {@code type}; an answer without data is an {@link ApiException} (nothing to return). */
    public <T> T first(Class<T> type) {
        return Json.convert(firstNode(), type);
    }

    public JsonNode firstNode() {
        if (data.isEmpty()) {
            throw new ApiException(httpStatus, method, path, requestId, code, "the answer holds no data", body, List.of(),
                    attempt, elapsed);
        }
        return data.get(0);
    }
}
