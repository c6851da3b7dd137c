package dev.bourse.client.ws.op;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.List;

/**
 * The answer to an order op, matched to the request by {@code id}. {@code code} "0": every item succeeded, "1": all
 * failed, "2": some did; a request refused as a whole (e.g. 60011 not logged in) has its code here and no items.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record OpReply(String id, String op, String code, String msg, List<OpResult> data, String inTime,
                      String outTime) {
    public OpReply {
        data = data == null ? List.of() : List.copyOf(data);
    }

    public boolean ok() {
        return "0".equals(code);
    }

    /** The single item of a one-order op. */
    public OpResult first() {
        if (data.isEmpty()) {
            throw new IllegalStateException(op + " " + id + " answered " + code + " " + msg + " without items");
        }
        return data.getFirst();
    }
}
