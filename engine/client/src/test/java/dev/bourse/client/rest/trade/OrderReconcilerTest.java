package dev.bourse.client.rest.trade;

import dev.bourse.client.OkxClient;
import dev.bourse.client.error.ApiException;
import dev.bourse.client.error.RequestStateException;
import dev.bourse.client.support.MockExchange;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** placeOrReconcile: an unknown outcome is settled by querying the clOrdId, never by a blind resend. */
class OrderReconcilerTest {
    private static final OrderReconciler.Policy FAST = new OrderReconciler.Policy(3, Duration.ofMillis(10));
    private static final String ORDER = "{\"instType\":\"SPOT\",\"instId\":\"BTC-USDT\",\"ordId\":\"77\",\"clOrdId\":\"%s\","
            + "\"px\":\"59000\",\"sz\":\"0.01\",\"ordType\":\"limit\",\"side\":\"buy\",\"state\":\"live\"}";

    /** Scripted answers per endpoint: "timeout", "notfound", "dup", "reject", or "ok". */
    private static final class Script extends Dispatcher {
        final Deque<String> places;
        final Deque<String> queries;
        final List<RecordedRequest> placed = Collections.synchronizedList(new ArrayList<>());
        final List<RecordedRequest> queried = Collections.synchronizedList(new ArrayList<>());

        Script(List<String> places, List<String> queries) {
            this.places = new ArrayDeque<>(places);
            this.queries = new ArrayDeque<>(queries);
        }

        @Override
        public MockResponse dispatch(RecordedRequest r) {
            if ("POST".equals(r.getMethod())) {
                placed.add(r);
                String body = r.getBody().utf8();
                String cl = body.replaceAll(".*\"clOrdId\":\"([A-Za-z0-9]+)\".*", "$1");
                return switch (next(places)) {
                    case "timeout" -> new MockResponse.Builder().headersDelay(1, TimeUnit.SECONDS)
                            .body(envelope("0", ack(cl, "0", ""))).build();
                    case "dup" -> new MockResponse.Builder().body(envelope("1", ack(cl, "51016", "Duplicated clOrdId"))).build();
                    case "reject" -> new MockResponse.Builder()
                            .body(envelope("1", ack(cl, "51008", "Insufficient balance"))).build();
                    default -> new MockResponse.Builder().body(envelope("0", ack(cl, "0", ""))).build();
                };
            }
            queried.add(r);
            String cl = r.getUrl().queryParameter("clOrdId");
            return switch (next(queries)) {
                case "notfound" -> new MockResponse.Builder()
                        .body("{\"code\":\"51603\",\"msg\":\"Order does not exist.\",\"data\":[]}").build();
                case "timeout" -> new MockResponse.Builder().headersDelay(1, TimeUnit.SECONDS).body("{}").build();
                default -> new MockResponse.Builder().body(envelope("0", ORDER.formatted(cl))).build();
            };
        }

        private static String next(Deque<String> d) {
            synchronized (d) {
                return d.isEmpty() ? "ok" : d.poll();
            }
        }

        private static String ack(String cl, String sCode, String sMsg) {
            return "{\"ordId\":\"" + ("0".equals(sCode) ? "77" : "") + "\",\"clOrdId\":\"" + cl + "\",\"tag\":\"\",\"ts\":\"1\","
                    + "\"sCode\":\"" + sCode + "\",\"sMsg\":\"" + sMsg + "\"}";
        }

        private static String envelope(String code, String item) {
            return "{\"code\":\"" + code + "\",\"msg\":\"\",\"data\":[" + item + "]}";
        }
    }

    private static OrderRequest buy() {
        return OrderRequest.limit("BTC-USDT", Side.BUY, new BigDecimal("59000"), new BigDecimal("0.01"));
    }

    private static OkxClient client(MockExchange ex, Script script) {
        ex.server.setDispatcher(script);
        return OkxClient.create(ex.config().readTimeout(Duration.ofMillis(300)).clOrdIdPrefix("t").build());
    }

    @Test
    void anAnsweredOrderNeedsNoQuery() throws Exception {
        Script s = new Script(List.of("ok"), List.of());
        try (MockExchange ex = new MockExchange(); OkxClient c = client(ex, s)) {
            PlaceResult r = c.trade().placeOrReconcile(buy(), FAST);
            assertEquals(PlaceResult.Resolution.PLACED, r.resolution());
            assertEquals("77", r.ordId());
            assertTrue(r.clOrdId().startsWith("t") && ClOrdIds.isValid(r.clOrdId()), "a clOrdId was generated");
            assertTrue(s.placed.getFirst().getBody().utf8().contains("\"clOrdId\":\"" + r.clOrdId() + "\""));
            assertEquals(0, s.queried.size());
        }
    }

    @Test
    void anUnknownOutcomeIsSettledByTheQueryWhenTheOrderLanded() throws Exception {
        Script s = new Script(List.of("timeout"), List.of("found"));
        try (MockExchange ex = new MockExchange(); OkxClient c = client(ex, s)) {
            PlaceResult r = c.trade().placeOrReconcile(buy().withClOrdId("mine1"), FAST);
            assertEquals(PlaceResult.Resolution.FOUND, r.resolution());
            assertEquals("77", r.order().ordId());
            assertNull(r.ack());
            assertEquals(1, r.sends());
            assertEquals(1, s.placed.size(), "not sent again");
            assertEquals("/api/v5/trade/order?instId=BTC-USDT&clOrdId=mine1", s.queried.getFirst().getTarget());
        }
    }

    @Test
    void anOrderThatDidNotLandIsSentAgainWithTheSameClOrdId() throws Exception {
        Script s = new Script(List.of("timeout", "ok"), List.of("notfound"));
        try (MockExchange ex = new MockExchange(); OkxClient c = client(ex, s)) {
            PlaceResult r = c.trade().placeOrReconcile(buy().withClOrdId("mine2"), FAST);
            assertEquals(PlaceResult.Resolution.RESENT, r.resolution());
            assertEquals(2, r.sends());
            assertEquals(2, s.placed.size());
            assertEquals(s.placed.get(0).getBody().utf8(), s.placed.get(1).getBody().utf8(), "the same order, same id");
        }
    }

    @Test
    void aDuplicateClOrdIdOnResendMeansTheFirstLandedLate() throws Exception {
        // OKX's behaviour: the late first order holds the id, the resend is refused with 51016
        Script s = new Script(List.of("timeout", "dup"), List.of("notfound", "found"));
        try (MockExchange ex = new MockExchange(); OkxClient c = client(ex, s)) {
            PlaceResult r = c.trade().placeOrReconcile(buy().withClOrdId("mine3"), FAST);
            assertEquals(PlaceResult.Resolution.FOUND, r.resolution());
            assertEquals(2, r.sends());
            assertEquals(2, s.queried.size());
        }
    }

    @Test
    void aRejectionIsThrownAsIs() throws Exception {
        Script s = new Script(List.of("reject"), List.of());
        try (MockExchange ex = new MockExchange(); OkxClient c = client(ex, s)) {
            ApiException e = assertThrows(ApiException.class, () -> c.trade().placeOrReconcile(buy(), FAST));
            assertEquals("51008", e.sCode());
            assertEquals(0, s.queried.size());
        }
    }

    @Test
    void stillUnknownAfterEveryRoundIsReportedAsDispatched() throws Exception {
        Script s = new Script(List.of("timeout", "timeout"), List.of("notfound", "notfound"));
        try (MockExchange ex = new MockExchange(); OkxClient c = client(ex, s)) {
            RequestStateException e = assertThrows(RequestStateException.class,
                    () -> c.trade().placeOrReconcile(buy().withClOrdId("mine4"), new OrderReconciler.Policy(2,
                            Duration.ofMillis(10))));
            assertTrue(e.dispatched());
            assertTrue(e.getMessage().contains("mine4"), e.getMessage());
            assertEquals(2, s.placed.size());
        }
    }

    @Test
    void aFailedQueryLeavesTheOutcomeUnknown() throws Exception {
        Script s = new Script(List.of("timeout"), List.of("timeout", "timeout", "timeout"));
        try (MockExchange ex = new MockExchange(); OkxClient c = client(ex, s)) {
            RequestStateException e = assertThrows(RequestStateException.class,
                    () -> c.trade().placeOrReconcile(buy().withClOrdId("mine5"), FAST));
            assertTrue(e.dispatched());
            assertTrue(e.getMessage().contains("query"), e.getMessage());
            assertEquals(1, s.placed.size(), "never resent without knowing");
        }
    }
}
