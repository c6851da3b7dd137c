package dev.bourse.client.rest.asset;

import dev.bourse.client.rest.Json;
import dev.bourse.client.rest.RestRequest;
import dev.bourse.client.rest.RestResponse;
import dev.bourse.client.rest.RestService;
import dev.bourse.client.rest.RestTransport;
import dev.bourse.client.rest.trade.ClOrdIds;

import java.math.BigDecimal;

/**
 * {@code POST /api/v5/asset/withdrawal}: an on-chain withdrawal ({@code dest} 4) of {@code amt} (fee excluded) to
 * {@code toAddr}. Needs a key with the {@code withdraw} permission. Never retried; give it a {@code clientId}
 * (1–32 letters or digits, e.g. from {@link ClOrdIds}) and, when the outcome is unknown, look it up in
 * {@code withdrawal-history?clientId=} — on Bourse sending it again with the same {@code clientId} returns the same
 * withdrawal.
 */
public final class WithdrawalService extends RestService<WithdrawalAck> {
    private String ccy;
    private BigDecimal amt;
    private String dest = "4";
    private String toAddr;
    private String chain;
    private BigDecimal fee;
    private String clientId;

    WithdrawalService(RestTransport transport) {
        super(transport, RestRequest.Method.POST, "/api/v5/asset/withdrawal");
    }

    public WithdrawalService ccy(String v) {
        this.ccy = v;
        return this;
    }

    public WithdrawalService amt(BigDecimal v) {
        this.amt = v;
        return this;
    }

    public WithdrawalService amt(String v) {
        return amt(decimal("amt", v));
    }

    /** {@code 4} on-chain (default), {@code 3} internal transfer (OKX only). */
    public WithdrawalService dest(String v) {
        this.dest = v;
        return this;
    }

    public WithdrawalService toAddr(String v) {
        this.toAddr = v;
        return this;
    }

    public WithdrawalService chain(String v) {
        this.chain = v;
        return this;
    }

    /** The fee the caller expects (Bourse refuses a withdrawal whose fee differs from its policy's); optional. */
    public WithdrawalService fee(BigDecimal v) {
        this.fee = v;
        return this;
    }

    public WithdrawalService clientId(String v) {
        this.clientId = v;
        return this;
    }

    @Override
    protected RestRequest request() {
        require("ccy", ccy);
        require("toAddr", toAddr);
        if (require("amt", amt).signum() <= 0) {
            throw new IllegalArgumentException("amt must be positive: " + amt);
        }
        if (clientId != null) {
            ClOrdIds.check(clientId);
        }
        return post().body(Json.fields().put("ccy", ccy).put("amt", amt).put("dest", require("dest", dest))
                .put("toAddr", toAddr).put("chain", chain).put("fee", fee).put("clientId", clientId).node())
                .signed().build();
    }

    @Override
    protected WithdrawalAck read(RestResponse response) {
        return response.first(WithdrawalAck.class);
    }
}
