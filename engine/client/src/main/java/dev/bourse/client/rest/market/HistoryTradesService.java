package dev.bourse.client.rest.market;

import dev.bourse.client.rest.RestRequest;
import dev.bourse.client.rest.RestResponse;
import dev.bourse.client.rest.RestService;
import dev.bourse.client.rest.RestTransport;

import java.util.List;

/**
 * {@code GET /api/v5/market/history-trades?instId=&after=&before=&limit=}: older public trades, newest first, paged
 * by trade id ({@code after}: older than, {@code before}: newer than).
 */
public final class HistoryTradesService extends RestService<List<MarketTrade>> {
    private String instId;
    private String after;
    private String before;
    private Integer limit;

    HistoryTradesService(RestTransport transport) {
        super(transport, RestRequest.Method.GET, "/api/v5/market/history-trades");
    }

    public HistoryTradesService instId(String instId) {
        this.instId = instId;
        return this;
    }

    public HistoryTradesService after(String tradeId) {
        this.after = tradeId;
        return this;
    }

    public HistoryTradesService before(String tradeId) {
        this.before = tradeId;
        return this;
    }

    /** 1..100 (default 100). */
    public HistoryTradesService limit(int limit) {
        this.limit = limit;
        return this;
    }

    @Override
    protected RestRequest request() {
        return get().query("instId", require("instId", instId)).query("after", after).query("before", before)
                .query("limit", limit).build();
    }

    @Override
    protected List<MarketTrade> read(RestResponse response) {
        return response.list(MarketTrade.class);
    }
}
