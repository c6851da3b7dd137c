package dev.bourse.client.rest;

import dev.bourse.client.ClientConfig;
import dev.bourse.client.OkxClient;
import dev.bourse.client.error.ApiException;
import dev.bourse.client.error.ItemResult;
import dev.bourse.client.error.OkxErrors;
import dev.bourse.client.error.RequestStateException.Stage;
import dev.bourse.client.error.RequestStateException;
import dev.bourse.client.rest.market.Ticker;
import dev.bourse.client.rest.trade.CancelRequest;
import dev.bourse.client.rest.trade.OrderAck;
import dev.bourse.client.rest.trade.OrderRequest;
import dev.bourse.client.rest.trade.OrderType;
import dev.bourse.client.rest.trade.Side;
import dev.bourse.client.support.MockExchange;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Envelope, error classification, retries (GET only) and the dispatched flag, against a scripted server. */
class RestTransportTest {
    private static final OrderRequest BUY = OrderRequest.limit("BTC-USDT", Side.BUY, new BigDecimal("59000"),
            new BigDecimal("0.01")).withClOrdId("b1");

    @Test
    void aSuccessfulEnvelopeBecomesTypedRecordsWithExactDecimals() throws Exception {
        try (MockExchange ex = new MockExchange(); OkxClient c = ex.client()) {
            ex.ok("{\"instType\":\"SPOT\",\"instId\":\"BTC-USDT\",\"last\":\"9999.99\",\"lastSz\":\"0.1\","
                    + "\"askPx\":\"\",\"askSz\":\"\",\"bidPx\":\"8888.88\",\"bidSz\":\"5\",\"open24h\":\"9000\","
                    + "\"high24h\":\"10000\",\"low24h\":\"8888.88\",\"volCcy24h\":\"2222\",\"vol24h\":\"2222\","
                    + "\"sodUtc0\":\"0.1\",\"sodUtc8\":\"0.1\",\"ts\":\"1597026383085\",\"newField\":\"ignored\"}");
            Ticker t = c.market().ticker().instId("BTC-USDT").execute();
            assertEquals(new BigDecimal("9999.99"), t.last());
            assertEquals("9999.99", t.last().toPlainString());
            assertNull(t.askPx(), "OKX's \"\" is null");
            assertEquals(1597026383085L, t.ts());
            assertEquals("/api/v5/market/ticker?instId=BTC-USDT", ex.take().getTarget());
        }
    }

    @Test
    void errorAnswersCarryStatusCodeMessageRequestIdAndBody() throws Exception {
        try (MockExchange ex = new MockExchange(); OkxClient c = ex.client()) {
            ex.error(401, "50113", "Invalid Sign");
            ApiException e = assertThrows(ApiException.class, () -> c.account().config().execute());
            assertEquals(401, e.httpStatus());
            assertEquals("50113", e.code());
            assertEquals("Invalid Sign", e.msg());
            assertEquals("req-1", e.requestId());
            assertEquals("GET", e.method());
            assertEquals("/api/v5/account/config", e.path());
            assertTrue(e.body().contains("50113"));
            assertTrue(OkxErrors.isAuth(e));
            assertFalse(OkxErrors.isRateLimit(e));
            assertEquals(0, e.attempt(), "an auth error is not retried");
            assertEquals(1, ex.server.getRequestCount());
        }
    }

    @Test
    void classificationOfRateLimitAuthAndClockSkew() throws Exception {
        try (MockExchange ex = new MockExchange();
             OkxClient c = OkxClient.create(ex.config().retry(RetryPolicy.none()).build())) {
            ex.error(429, "50011", "Too Many Requests");
            ApiException http429 = assertThrows(ApiException.class, () -> c.market().ticker().instId("X-Y").execute());
            assertTrue(OkxErrors.isRateLimit(http429));

            ex.error(200, "50011", "Rate limit reached.");
            ApiException code50011 = assertThrows(ApiException.class, () -> c.account().balance().execute());
            assertEquals(200, code50011.httpStatus());
            assertTrue(OkxErrors.isRateLimit(code50011));

            ex.error(200, "50061", "You've reached the maximum order rate limit for this account.");
            assertTrue(OkxErrors.isRateLimit(assertThrows(ApiException.class,
                    () -> c.trade().placeOrder().order(BUY).execute())));

            ex.error(401, "50102", "Timestamp request expired");
            ApiException skew = assertThrows(ApiException.class, () -> c.account().balance().execute());
            assertTrue(OkxErrors.isTimeSkew(skew));
            assertTrue(OkxErrors.isAuth(skew));

            ex.error(200, "50120", "This API key doesn't have permission to use this function");
            ApiException perm = assertThrows(ApiException.class, () -> c.trade().placeOrder().order(BUY).execute());
            assertTrue(OkxErrors.isAuth(perm), "501xx with HTTP 200 is an auth error too");
            assertFalse(OkxErrors.isTimeSkew(perm));
        }
    }

    @Test
    void aRejectedOrderNamesItsReasonAndABatchListsEveryItem() throws Exception {
        try (MockExchange ex = new MockExchange(); OkxClient c = ex.client()) {
            ex.enqueue(200, "{\"code\":\"1\",\"msg\":\"Operation failed.\",\"data\":[{\"ordId\":\"\",\"clOrdId\":\"b1\","
                    + "\"tag\":\"\",\"ts\":\"1\",\"sCode\":\"51008\",\"sMsg\":\"Insufficient balance\",\"subCode\":\"\"}],"
                    + "\"inTime\":\"1\",\"outTime\":\"2\"}");
            ApiException single = assertThrows(ApiException.class, () -> c.trade().placeOrder().order(BUY).execute());
            assertEquals("1", single.code());
            assertEquals("51008", single.sCode());
            assertEquals("Insufficient balance", single.sMsg());
            assertEquals(1, single.items().size());
            assertEquals(1, ex.server.getRequestCount(), "a POST is never retried");

            ex.enqueue(200, "{\"code\":\"2\",\"msg\":\"Bulk operation partially succeeded.\",\"data\":["
                    + "{\"ordId\":\"11\",\"clOrdId\":\"a\",\"sCode\":\"0\",\"sMsg\":\"\"},"
                    + "{\"ordId\":\"\",\"clOrdId\":\"b\",\"sCode\":\"51400\",\"sMsg\":\"Cancellation failed\"},"
                    + "{\"ordId\":\"\",\"clOrdId\":\"c\",\"sCode\":\"50011\",\"sMsg\":\"Rate limit reached\"}]}");
            ApiException batch = assertThrows(ApiException.class, () -> c.trade().cancelBatchOrders()
                    .add(CancelRequest.byClOrdId("BTC-USDT", "a")).add(CancelRequest.byClOrdId("BTC-USDT", "b"))
                    .add(CancelRequest.byClOrdId("BTC-USDT", "c")).execute());
            assertTrue(batch.partial());
            assertEquals(3, batch.items().size());
            List<ItemResult> failed = batch.failedItems();
            assertEquals(List.of(1, 2), failed.stream().map(ItemResult::index).toList());
            assertEquals("51400", batch.sCode());
            assertTrue(batch.items().getFirst().ok());
            assertEquals("11", batch.items().getFirst().ordId());
            assertTrue(OkxErrors.isRateLimit(batch), "an item's 50011 counts");
        }
    }

    @Test
    void aFullySuccessfulBatchReturnsEveryAck() throws Exception {
        try (MockExchange ex = new MockExchange(); OkxClient c = ex.client()) {
            ex.enqueue(200, "{\"code\":\"0\",\"msg\":\"\",\"data\":[{\"ordId\":\"1\",\"clOrdId\":\"x1\",\"sCode\":\"0\",\"sMsg\":\"\","
                    + "\"ts\":\"5\"},{\"ordId\":\"2\",\"clOrdId\":\"x2\",\"sCode\":\"0\",\"sMsg\":\"\",\"ts\":\"6\"}],"
                    + "\"inTime\":\"1\",\"outTime\":\"2\"}");
            List<OrderAck> acks = c.trade().batchOrders().add(BUY.withClOrdId("x1")).add(BUY.withClOrdId("x2")).execute();
            assertEquals(List.of("1", "2"), acks.stream().map(OrderAck::ordId).toList());
            assertTrue(acks.stream().allMatch(OrderAck::ok));
            assertTrue(ex.take().getBody().utf8().startsWith("[{\"instId\":\"BTC-USDT\""));
        }
    }

    @Test
    void aNonEnvelopeAnswerIsAnApiErrorWithItsBody() throws Exception {
        try (MockExchange ex = new MockExchange();
             OkxClient c = OkxClient.create(ex.config().retry(RetryPolicy.none()).build())) {
            ex.enqueue(502, "<html>Bad Gateway</html>");
            ApiException e = assertThrows(ApiException.class, () -> c.publicData().time().execute());
            assertEquals(502, e.httpStatus());
            assertEquals("", e.code());
            assertEquals("<html>Bad Gateway</html>", e.body());
        }
    }

    @Test
    void idempotentGetsAreRetriedWithBackoffAndPostsNever() throws Exception {
        try (MockExchange ex = new MockExchange(); OkxClient c = ex.client()) {
            ex.error(503, "50001", "Service temporarily unavailable");
            ex.error(500, "50026", "System error");
            ex.ok("{\"ts\":\"42\"}");
            assertEquals(42L, c.publicData().time().execute().ts());
            assertEquals(3, ex.server.getRequestCount());
            assertEquals(2, c.stats().retries());

            ex.error(503, "50001", "Service temporarily unavailable");
            ApiException post = assertThrows(ApiException.class, () -> c.trade().placeOrder().order(BUY).execute());
            assertEquals(503, post.httpStatus());
            assertEquals(4, ex.server.getRequestCount(), "the POST went out once");

            // the retry budget is bounded: the third failure is thrown, naming its attempt
            for (int i = 0; i < 3; i++) {
                ex.error(503, "50001", "Service temporarily unavailable");
            }
            ApiException exhausted = assertThrows(ApiException.class, () -> c.publicData().time().execute());
            assertEquals(2, exhausted.attempt());
            assertEquals(7, ex.server.getRequestCount());

            ex.error(400, "51001", "Instrument ID does not exist");
            assertThrows(ApiException.class, () -> c.market().ticker().instId("NO-PE").execute());
            assertEquals(8, ex.server.getRequestCount(), "a definite refusal is not retried");
        }
    }

    @Test
    void aTimeoutAfterSendingIsDispatchedAndAPostIsNotSentAgain() throws Exception {
        try (MockExchange ex = new MockExchange(); OkxClient c = ex.client()) {
            ex.server.enqueue(new MockResponse.Builder().code(200).body("{\"code\":\"0\",\"data\":[]}")
                    .headersDelay(2, TimeUnit.SECONDS).build());
            RequestStateException e = assertThrows(RequestStateException.class, () -> c.trade().placeOrder().order(BUY)
                    .execute(RequestOptions.timeout(Duration.ofMillis(300))));
            assertEquals(Stage.HTTP, e.stage());
            assertTrue(e.dispatched(), "the request went out: outcome unknown");
            assertTrue(OkxErrors.isOutcomeUnknown(e));
            assertTrue(e.getMessage().contains("stage=http dispatched=true"), e.getMessage());
            assertEquals(1, ex.server.getRequestCount());
            assertEquals(1, c.stats().unknown());
        }
    }

    @Test
    void aTimedOutGetIsRetried() throws Exception {
        try (MockExchange ex = new MockExchange();
             OkxClient c = OkxClient.create(ex.config().readTimeout(Duration.ofMillis(200)).build())) {
            ex.server.enqueue(new MockResponse.Builder().code(200).body("{\"code\":\"0\",\"data\":[{\"ts\":\"1\"}]}")
                    .headersDelay(1, TimeUnit.SECONDS).build());
            ex.ok("{\"ts\":\"2\"}");
            assertEquals(2L, c.publicData().time().execute().ts());
            assertEquals(2, ex.server.getRequestCount());
        }
    }

    @Test
    void aRefusedConnectionWasNotDispatched() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (OkxClient c = OkxClient.create(ClientConfig.builder().baseUrl("http://127.0.0.1:" + port)
                .credentials(MockExchange.CREDENTIALS).retry(RetryPolicy.none()).build())) {
            RequestStateException e = assertThrows(RequestStateException.class,
                    () -> c.trade().placeOrder().order(BUY).execute());
            assertEquals(Stage.HTTP, e.stage());
            assertFalse(e.dispatched(), "nothing reached the exchange: " + e.getMessage());
            assertTrue(OkxErrors.isNotSent(e));
            assertInstanceOf(java.net.ConnectException.class, e.getCause());
            assertEquals(1, c.stats().notSent());
        }
    }

    @Test
    void badParametersAndMissingCredentialsAreRefusedBeforeAnythingIsSent() throws Exception {
        try (MockExchange ex = new MockExchange(); OkxClient c = ex.client();
             OkxClient anonymous = OkxClient.create(ex.config().credentials(null).build())) {
            RequestStateException noInst = assertThrows(RequestStateException.class, () -> c.market().ticker().execute());
            assertEquals(Stage.PREFLIGHT, noInst.stage());
            assertFalse(noInst.dispatched());
            assertTrue(noInst.getMessage().contains("instId"), noInst.getMessage());

            RequestStateException noPx = assertThrows(RequestStateException.class, () -> c.trade().placeOrder()
                    .instId("BTC-USDT").side(Side.BUY).ordType(OrderType.LIMIT).sz("1")
                    .execute());
            assertTrue(noPx.getMessage().contains("px"), noPx.getMessage());

            RequestStateException badId = assertThrows(RequestStateException.class,
                    () -> c.trade().placeOrder().order(BUY.withClOrdId("not-valid!")).execute());
            assertEquals(Stage.PREFLIGHT, badId.stage());

            RequestStateException tooMany = assertThrows(RequestStateException.class, () -> {
                var batch = c.trade().batchOrders();
                for (int i = 0; i < 21; i++) {
                    batch.add(BUY.withClOrdId("b" + i));
                }
                batch.execute();
            });
            assertTrue(tooMany.getMessage().contains("1..20"), tooMany.getMessage());

            RequestStateException noKey = assertThrows(RequestStateException.class,
                    () -> anonymous.account().balance().execute());
            assertEquals(Stage.PREFLIGHT, noKey.stage());
            assertEquals(0, ex.server.getRequestCount(), "nothing was sent");
        }
    }

    @Test
    void cancellingACallOnTheWireLeavesItsOutcomeUnknown() throws Exception {
        try (MockExchange ex = new MockExchange(); OkxClient c = ex.client()) {
            ex.server.enqueue(new MockResponse.Builder().code(200).body("{\"code\":\"0\",\"data\":[]}")
                    .headersDelay(3, TimeUnit.SECONDS).build());
            RestCall<OrderAck> call = c.trade().placeOrder().order(BUY).call();
            CompletableFuture<Throwable> done = CompletableFuture.supplyAsync(() -> {
                try {
                    call.execute();
                    return null;
                } catch (RuntimeException e) {
                    return e;
                }
            });
            ex.take(); // the request arrived
            call.cancel();
            RequestStateException e = assertInstanceOf(RequestStateException.class, done.get(2, TimeUnit.SECONDS));
            assertTrue(e.dispatched());
            assertTrue(e.getMessage().contains("cancelled"), e.getMessage());
            assertThrows(IllegalStateException.class, call::execute, "a call runs once");
        }
    }
}
