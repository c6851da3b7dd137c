package dev.bourse.client.rest.asset;

import dev.bourse.client.rest.RestRequest;
import dev.bourse.client.rest.RestResponse;
import dev.bourse.client.rest.RestService;
import dev.bourse.client.rest.RestTransport;

import java.util.List;

/**
 * {@code GET /api/v5/asset/deposit-history}: newest first; filter by currency, deposit id, transaction id, type
 * (4 on-chain) and state; page with {@code after}/{@code before} (epoch ms), {@code limit} ≤ 100.
 */
public final class DepositHistoryService extends RestService<List<DepositRecord>> {
    private String ccy;
    private String depId;
    private String txId;
    private String type;
    private String state;
    private Long after;
    private Long before;
    private Integer limit;

    DepositHistoryService(RestTransport transport) {
        super(transport, RestRequest.Method.GET, "/api/v5/asset/deposit-history");
    }

    public DepositHistoryService ccy(String v) {
        this.ccy = v;
        return this;
    }

    public DepositHistoryService depId(String v) {
        this.depId = v;
        return this;
    }

    public DepositHistoryService txId(String v) {
        this.txId = v;
        return this;
    }

    public DepositHistoryService type(String v) {
        this.type = v;
        return this;
    }

    public DepositHistoryService state(String v) {
        this.state = v;
        return this;
    }

    public DepositHistoryService after(long epochMillis) {
        this.after = epochMillis;
        return this;
    }

    public DepositHistoryService before(long epochMillis) {
        this.before = epochMillis;
        return this;
    }

    public DepositHistoryService limit(int v) {
        this.limit = v;
        return this;
    }

    @Override
    protected RestRequest request() {
        return get().query("ccy", ccy).query("depId", depId).query("txId", txId).query("type", type)
                .query("state", state).query("after", after).query("before", before).query("limit", limit).signed()
                .build();
    }

    @Override
    protected List<DepositRecord> read(RestResponse response) {
        return response.list(DepositRecord.class);
    }
}
