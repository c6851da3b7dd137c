package dev.bourse.client.rest.trade;

import dev.bourse.client.rest.RestRequest;
import dev.bourse.client.rest.RestResponse;
import dev.bourse.client.rest.RestService;
import dev.bourse.client.rest.RestTransport;

import java.util.List;

/**
 * {@code GET /api/v5/trade/fills} (last 3 days) or {@code fills-history} (90 days): the caller's fills, newest first,
 * paged by {@code billId}; filter by instrument, order, and {@code begin}/{@code end} (epoch ms).
 */
public final class FillsService extends RestService<List<Fill>> {
    private String instType = "SPOT";
    private String instId;
    private String ordId;
    private String after;
    private String before;
    private Long begin;
    private Long end;
    private Integer limit;

    FillsService(RestTransport transport, boolean history) {
        super(transport, RestRequest.Method.GET, history ? "/api/v5/trade/fills-history" : "/api/v5/trade/fills");
    }

    /** {@code SPOT} by default (OKX requires it for fills-history). */
    public FillsService instType(String v) {
        this.instType = v;
        return this;
    }

    public FillsService instId(String v) {
        this.instId = v;
        return this;
    }

    public FillsService ordId(String v) {
        this.ordId = v;
        return this;
    }

    public FillsService after(String billId) {
        this.after = billId;
        return this;
    }

    public FillsService before(String billId) {
        this.before = billId;
        return this;
    }

    public FillsService begin(long epochMillis) {
        this.begin = epochMillis;
        return this;
    }

    public FillsService end(long epochMillis) {
        this.end = epochMillis;
        return this;
    }

    /** 1..100 (default 100). */
    public FillsService limit(int v) {
        this.limit = v;
        return this;
    }

    @Override
    protected RestRequest request() {
        return get().query("instType", instType).query("instId", instId).query("ordId", ordId).query("after", after)
                .query("before", before).query("begin", begin).query("end", end).query("limit", limit).signed().build();
    }

    @Override
    protected List<Fill> read(RestResponse response) {
        return response.list(Fill.class);
    }
}
