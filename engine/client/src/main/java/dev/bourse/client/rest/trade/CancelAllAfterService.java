package dev.bourse.client.rest.trade;

import dev.bourse.client.rest.Json;
import dev.bourse.client.rest.RestRequest;
import dev.bourse.client.rest.RestResponse;
import dev.bourse.client.rest.RestService;
import dev.bourse.client.rest.RestTransport;

/**
 * {@code POST /api/v5/trade/cancel-all-after}: a dead man's switch — unless renewed within {@code timeOut} seconds
 * (10–120), all the account's orders are cancelled; 0 turns it off. Renew it every few seconds.
 */
public final class CancelAllAfterService extends RestService<CancelAllAfter> {
    private Integer timeOut;
    private String tag;

    CancelAllAfterService(RestTransport transport) {
        super(transport, RestRequest.Method.POST, "/api/v5/trade/cancel-all-after");
    }

    public CancelAllAfterService timeOut(int seconds) {
        this.timeOut = seconds;
        return this;
    }

    public CancelAllAfterService tag(String tag) {
        this.tag = tag;
        return this;
    }

    @Override
    protected RestRequest request() {
        int t = require("timeOut", timeOut);
        if (t != 0 && (t < 10 || t > 120)) {
            throw new IllegalArgumentException("timeOut must be 0 or 10..120 seconds: " + t);
        }
        return post().body(Json.fields().put("timeOut", Integer.toString(t)).put("tag", tag).node()).signed().build();
    }

    @Override
    protected CancelAllAfter read(RestResponse response) {
        return response.first(CancelAllAfter.class);
    }
}
