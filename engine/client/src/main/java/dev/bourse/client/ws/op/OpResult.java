package dev.bourse.client.ws.op;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** One item of an op reply: {@code sCode} "0" on success, else the OKX error code in {@code sCode}/{@code sMsg}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record OpResult(String ordId, String clOrdId, String tag, String ts, String sCode, String sMsg, String reqId,
                       String subCode) {
    public boolean ok() {
        return "0".equals(sCode);
    }
}
