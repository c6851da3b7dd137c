package dev.bourse.client.rest.publicdata;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bourse.client.rest.RestRequest;
import dev.bourse.client.rest.RestResponse;
import dev.bourse.client.rest.RestService;
import dev.bourse.client.rest.RestTransport;

import java.util.ArrayList;
import java.util.List;

/** {@code GET /api/v5/public/underlying?instType=SWAP}: derivative underlyings (empty on Bourse, a spot exchange). */
public final class UnderlyingService extends RestService<List<String>> {
    private String instType = "SWAP";

    UnderlyingService(RestTransport transport) {
        super(transport, RestRequest.Method.GET, "/api/v5/public/underlying");
    }

    /** {@code SWAP} (default), {@code FUTURES} or {@code OPTION}. */
    public UnderlyingService instType(String instType) {
        this.instType = instType;
        return this;
    }

    @Override
    protected RestRequest request() {
        return get().query("instType", require("instType", instType)).build();
    }

    @Override
    protected List<String> read(RestResponse response) {
        // OKX's shape: a list holding one list of names
        List<String> out = new ArrayList<>();
        for (JsonNode inner : response.data()) {
            for (JsonNode name : inner) {
                out.add(name.asText());
            }
        }
        return out;
    }
}
