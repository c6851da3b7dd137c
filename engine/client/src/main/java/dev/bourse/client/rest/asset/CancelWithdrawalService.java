package dev.bourse.client.rest.asset;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bourse.client.rest.Json;
import dev.bourse.client.rest.RestRequest;
import dev.bourse.client.rest.RestResponse;
import dev.bourse.client.rest.RestService;
import dev.bourse.client.rest.RestTransport;

/**
 * {@code POST /api/v5/asset/cancel-withdrawal}: cancels a withdrawal before it is broadcast (58216 after);
 * returns the {@code wdId}.
 */
public final class CancelWithdrawalService extends RestService<String> {
    private String wdId;

    CancelWithdrawalService(RestTransport transport) {
        super(transport, RestRequest.Method.POST, "/api/v5/asset/cancel-withdrawal");
    }

    public CancelWithdrawalService wdId(String v) {
        this.wdId = v;
        return this;
    }

    @Override
    protected RestRequest request() {
        return post().body(Json.fields().put("wdId", require("wdId", wdId)).node()).signed().build();
    }

    @Override
    protected String read(RestResponse response) {
        JsonNode first = response.firstNode();
        return first.path("wdId").asText();
    }
}
