package dev.bourse.client.error;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OkxErrorsTest {
    private static ApiException api(int status, String code, List<ItemResult> items) {
        return new ApiException(status, "POST", "/api/v5/trade/order", "r1", code, "m", "{}", items, 0, Duration.ZERO);
    }

    private static ItemResult item(String sCode) {
        return new ItemResult(0, sCode, "", "", "", "");
    }

    @Test
    void rateLimit() {
        assertTrue(OkxErrors.isRateLimit(api(429, "50013", List.of())), "HTTP 429 whatever the code");
        assertTrue(OkxErrors.isRateLimit(api(200, "50011", List.of())));
        assertTrue(OkxErrors.isRateLimit(api(200, "50061", List.of())));
        assertTrue(OkxErrors.isRateLimit(api(200, "1", List.of(item("50011")))));
        assertFalse(OkxErrors.isRateLimit(api(200, "1", List.of(item("51008")))));
        assertFalse(OkxErrors.isRateLimit(new IllegalStateException("x")));
    }

    @Test
    void auth() {
        assertTrue(OkxErrors.isAuth(api(401, "", List.of())));
        assertTrue(OkxErrors.isAuth(api(200, "50105", List.of())));
        assertTrue(OkxErrors.isAuth(api(200, "50120", List.of())));
        assertFalse(OkxErrors.isAuth(api(200, "5010", List.of())), "five digits");
        assertFalse(OkxErrors.isAuth(api(200, "50011", List.of())));
        assertFalse(OkxErrors.isAuth(api(400, "51000", List.of())));
    }

    @Test
    void timeSkewAndDispatch() {
        assertTrue(OkxErrors.isTimeSkew(api(401, "50102", List.of())));
        assertTrue(OkxErrors.isTimeSkew(api(401, "50112", List.of())));
        assertFalse(OkxErrors.isTimeSkew(api(401, "50113", List.of())));
        RequestStateException gate = new RequestStateException(RequestStateException.Stage.GATE, false, "GET", "/p", "d",
                null, 0, Duration.ZERO);
        RequestStateException wire = new RequestStateException(RequestStateException.Stage.HTTP, true, "POST", "/p", "t",
                null, 0, Duration.ZERO);
        assertTrue(OkxErrors.isNotSent(gate));
        assertFalse(OkxErrors.isOutcomeUnknown(gate));
        assertTrue(OkxErrors.isOutcomeUnknown(wire));
        assertTrue(gate.getMessage().contains("stage=gate dispatched=false"), gate.getMessage());
        assertFalse(OkxErrors.isRateLimit(wire));
    }
}
