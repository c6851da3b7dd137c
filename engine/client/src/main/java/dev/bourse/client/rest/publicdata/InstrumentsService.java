package dev.bourse.client.rest.publicdata;

import dev.bourse.client.rest.RestRequest;
import dev.bourse.client.rest.RestResponse;
import dev.bourse.client.rest.RestService;
import dev.bourse.client.rest.RestTransport;

import java.util.List;

/** {@code GET /api/v5/public/instruments?instType=SPOT[&instId=]}. */
public final class InstrumentsService extends RestService<List<Instrument>> {
    private String instType = "SPOT";
    private String instId;

    InstrumentsService(RestTransport transport) {
        super(transport, RestRequest.Method.GET, "/api/v5/public/instruments");
    }

    /** {@code SPOT} (default) or another OKX type (Bourse answers those with an empty list). */
    public InstrumentsService instType(String instType) {
        this.instType = instType;
        return this;
    }

    public InstrumentsService instId(String instId) {
        this.instId = instId;
        return this;
    }

    @Override
    protected RestRequest request() {
        return get().query("instType", require("instType", instType)).query("instId", instId).build();
    }

    @Override
    protected List<Instrument> read(RestResponse response) {
        return response.list(Instrument.class);
    }
}
