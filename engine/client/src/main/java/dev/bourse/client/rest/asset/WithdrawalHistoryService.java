package dev.bourse.client.rest.asset;

import dev.bourse.client.rest.RestRequest;
import dev.bourse.client.rest.RestResponse;
import dev.bourse.client.rest.RestService;
import dev.bourse.client.rest.RestTransport;

import java.util.List;

/**
 * {@code GET /api/v5/asset/withdrawal-history}: newest first; filter by currency, {@code wdId}, {@code clientId},
 * transaction id, type and state; page with {@code after}/{@code before} (epoch ms), {@code limit} ≤ 100.
 */
public final class WithdrawalHistoryService extends RestService<List<WithdrawalRecord>> {
    private String ccy;
    private String wdId;
    private String clientId;
    private String txId;
    private String type;
    private String state;
    private Long after;
    private Long before;
    private Integer limit;

    WithdrawalHistoryService(RestTransport transport) {
        super(transport, RestRequest.Method.GET, "/api/v5/asset/withdrawal-history");
    }

    public WithdrawalHistoryService ccy(String v) {
        this.ccy = v;
        return this;
    }

    public WithdrawalHistoryService wdId(String v) {
        this.wdId = v;
        return this;
    }

    public WithdrawalHistoryService clientId(String v) {
        this.clientId = v;
        return this;
    }

    public WithdrawalHistoryService txId(String v) {
        this.txId = v;
        return this;
    }

    public WithdrawalHistoryService type(String v) {
        this.type = v;
        return this;
    }

    public WithdrawalHistoryService state(String v) {
        this.state = v;
        return this;
    }

    public WithdrawalHistoryService after(long epochMillis) {
        this.after = epochMillis;
        return this;
    }

    public WithdrawalHistoryService before(long epochMillis) {
        this.before = epochMillis;
        return this;
    }

    public WithdrawalHistoryService limit(int v) {
        this.limit = v;
        return this;
    }

    @Override
    protected RestRequest request() {
        return get().query("ccy", ccy).query("wdId", wdId).query("clientId", clientId).query("txId", txId)
                .query("type", type).query("state", state).query("after", after).query("before", before)
                .query("limit", limit).signed().build();
    }

    @Override
    protected List<WithdrawalRecord> read(RestResponse response) {
        return response.list(WithdrawalRecord.class);
    }
}
