package dev.bourse.client.rest.market;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bourse.client.rest.RestRequest;
import dev.bourse.client.rest.RestResponse;
import dev.bourse.client.rest.RestService;
import dev.bourse.client.rest.RestTransport;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /api/v5/market/candles} (recent) or {@code market/history-candles} (older):
 * {@code instId, bar, after, before, limit}; newest first.
 */
public final class CandlesService extends RestService<List<Candle>> {
    private String instId;
    private String bar;
    private Long after;
    private Long before;
    private Integer limit;

    CandlesService(RestTransport transport, boolean history) {
        super(transport, RestRequest.Method.GET, history ? "/api/v5/market/history-candles" : "/api/v5/market/candles");
    }

    public CandlesService instId(String instId) {
        this.instId = instId;
        return this;
    }

    /** {@code 1m} (default) … {@code 1M}, and the {@code utc} variants ({@code 6Hutc} …). */
    public CandlesService bar(String bar) {
        this.bar = bar;
        return this;
    }

    /** Bars opened before this time (epoch ms). */
    public CandlesService after(long ts) {
        this.after = ts;
        return this;
    }

    /** Bars opened after this time (epoch ms). */
    public CandlesService before(long ts) {
        this.before = ts;
        return this;
    }

    /** 1..300 (default 100). */
    public CandlesService limit(int limit) {
        this.limit = limit;
        return this;
    }

    @Override
    protected RestRequest request() {
        return get().query("instId", require("instId", instId)).query("bar", bar).query("after", after)
                .query("before", before).query("limit", limit).build();
    }

    @Override
    protected List<Candle> read(RestResponse response) {
        List<Candle> out = new ArrayList<>();
        for (JsonNode a : response.data()) {
            out.add(Candle.of(a));
        }
        return out;
    }
}
