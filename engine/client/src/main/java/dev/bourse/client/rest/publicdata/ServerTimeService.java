package dev.bourse.client.rest.publicdata;

import dev.bourse.client.rest.RestRequest;
import dev.bourse.client.rest.RestResponse;
import dev.bourse.client.rest.RestService;
import dev.bourse.client.rest.RestTransport;

/** {@code GET /api/v5/public/time}. To correct the local clock use {@code OkxClient.syncTime()}. */
public final class ServerTimeService extends RestService<ServerTime> {
    ServerTimeService(RestTransport transport) {
        super(transport, RestRequest.Method.GET, "/api/v5/public/time");
    }

    @Override
    protected RestRequest request() {
        return get().build();
    }

    @Override
    protected ServerTime read(RestResponse response) {
        return response.first(ServerTime.class);
    }
}
