package dev.bourse.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bourse.server.auth.ApiPrincipal;
import dev.bourse.server.http.Json;
import io.helidon.webserver.http.ServerRequest;

import java.io.IOException;

/** One trader-API request: its id, the verified caller (null on public endpoints), parameters and body. */
public final class ApiCall {
    private final ServerRequest req;
    private final String requestId;
    private final byte[] body;
    private final ApiPrincipal principal;
    private final String ip;
    private JsonNode json;

    ApiCall(ServerRequest req, String requestId, byte[] body, ApiPrincipal principal, String ip) {
        this.req = req;
        this.requestId = requestId;
        this.body = body;
        this.principal = principal;
        this.ip = ip;
    }

    public String requestId() {
        return requestId;
    }

    public ApiPrincipal principal() {
        return principal;
    }

    public String ip() {
        return ip;
    }

    /** A query parameter; absent and empty are both null (OKX ignores empty parameters). */
    public String query(String name) {
        if (!req.query().contains(name)) {
            return null;
        }
        String v = req.query().get(name);
        return v == null || v.isEmpty() ? null : v;
    }

    public String requiredQuery(String name) {
        String v = query(name);
        if (v == null) {
            throw ApiError.empty(name);
        }
        return v;
    }

    /** Integer query parameter within [min, max], or the default when absent. */
    public int intQuery(String name, int dflt, int min, int max) {
        String v = query(name);
        if (v == null) {
            return dflt;
        }
        try {
            int i = Integer.parseInt(v);
            if (i < min || i > max) {
                throw ApiError.bad(name);
            }
            return i;
        } catch (NumberFormatException e) {
            throw ApiError.bad(name);
        }
    }

    /** Long query parameter or null; anything but digits is refused. */
    public Long longQuery(String name) {
        String v = query(name);
        if (v == null) {
            return null;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw ApiError.bad(name);
        }
    }

    /** The JSON body: 50000 when empty, 50002 when it is not JSON. */
    public JsonNode body() {
        if (json == null) {
            if (body == null || body.length == 0) {
                throw new ApiError(400, "50000", "Body for POST request cannot be empty.");
            }
            try {
                json = Json.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new ApiError(400, "50002", "JSON syntax error");
            }
            if (json == null || json.isMissingNode()) {
                throw new ApiError(400, "50000", "Body for POST request cannot be empty.");
            }
        }
        return json;
    }
}
