package dev.bourse.client.rest.market;

import dev.bourse.client.rest.RestRequest;
import dev.bourse.client.rest.RestResponse;
import dev.bourse.client.rest.RestService;
import dev.bourse.client.rest.RestTransport;

/** {@code GET /api/v5/market/books?instId=&sz=}: the order book, up to 400 levels a side. */
public final class BooksService extends RestService<OrderBook> {
    private String instId;
    private Integer sz;

    BooksService(RestTransport transport) {
        super(transport, RestRequest.Method.GET, "/api/v5/market/books");
    }

    public BooksService instId(String instId) {
        this.instId = instId;
        return this;
    }

    /** Levels per side (OKX's default: 1; at most 400). */
    public BooksService sz(int levels) {
        this.sz = levels;
        return this;
    }

    @Override
    protected RestRequest request() {
        if (sz != null && (sz < 1 || sz > 400)) {
            throw new IllegalArgumentException("sz must be 1..400: " + sz);
        }
        return get().query("instId", require("instId", instId)).query("sz", sz).build();
    }

    @Override
    protected OrderBook read(RestResponse response) {
        return OrderBook.of(response.firstNode());
    }
}
