package dev.bourse.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.util.List;

/** OKX-style JSON envelopes on raw bytes with Jackson: {"code","msg","data":[...]}. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    /** The request body as an object, or null (the caller answers 50000 / 50014). */
    public static ObjectNode body(ServerRequest req) {
        try {
            byte[] bytes = req.content().as(byte[].class);
            if (bytes.length == 0) {
                return null;
            }
            JsonNode n = MAPPER.readTree(bytes);
            return n instanceof ObjectNode o ? o : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    public static void ok(ServerResponse res, List<? extends JsonNode> data) {
        send(res, Status.OK_200, "0", "", data);
    }

    public static void error(ServerResponse res, Status status, String code, String msg) {
        send(res, status, code, msg, List.of());
    }

    public static void send(ServerResponse res, Status status, String code, String msg, List<? extends JsonNode> data) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("code", code);
        root.put("msg", msg);
        root.putArray("data").addAll(data);
        try {
            res.status(status).header(HeaderNames.CONTENT_TYPE, "application/json").send(MAPPER.writeValueAsBytes(root));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A text field, or null when absent or empty. */
    public static String text(ObjectNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        String s = v.asText();
        return s.isEmpty() ? null : s;
    }
}
