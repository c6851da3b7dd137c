package dev.bourse.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bourse.server.store.Database;
import dev.bourse.testkit.EngineProcess;
import dev.bourse.server.support.OkxRestClient;
import dev.bourse.server.support.OkxRestClient.Answer;
import dev.bourse.server.support.OkxRestClient.Credentials;
import dev.bourse.server.support.TestDatabases;
import dev.bourse.server.support.TraderFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OKX V5 REST API end to end against an engine process on PostgreSQL: signing and each
 * authentication failure, public and private endpoints, order operations and their error codes, and rate
 * limits. Every answer must carry {@code x-request-id}; refused requests must change nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(300)
class TraderRestIT {
    private TestDatabases.TestDb testDb;
    private EngineProcess engine;
    private long alice;
    private long bob;
    private long carol;
    private OkxRestClient aliceApi;
    private OkxRestClient bobApi;
    private OkxRestClient carolApi;
    private Credentials aliceKey;
    private Credentials readOnlyKey;

    @BeforeAll
    void start() throws Exception {
        testDb = TestDatabases.postgres();
        try (Database db = testDb.open()) {
            TraderFixture.list(db);
            Map<String, String> funds = Map.of("BTC", "10", "ETH", "100", "USDT", "1000000");
            alice = TraderFixture.user(db, "rest-alice", funds);
            bob = TraderFixture.user(db, "rest-bob", funds);
            carol = TraderFixture.user(db, "rest-carol", funds);
        }
        // tight limits for the rate-limit checks (carol); every other rule keeps OKX's default
        engine = EngineProcess.start(TraderFixture.engine("rest-0", testDb, 0)
                .with("RATE_LIMITS", "trade/amend-order=4/30s,account=30/30s"));
        aliceKey = TraderFixture.apiKey(engine, alice, "read_only,trade");
        aliceApi = TraderFixture.client(engine, aliceKey);
        bobApi = TraderFixture.client(engine, TraderFixture.apiKey(engine, bob, "read_only,trade"));
        carolApi = TraderFixture.client(engine, TraderFixture.apiKey(engine, carol, "read_only,trade"));
        readOnlyKey = TraderFixture.apiKey(engine, alice, "read_only");
    }

    @AfterAll
    void stop() throws Exception {
        if (engine != null) {
            engine.close();
        }
        if (testDb != null) {
            testDb.close();
        }
    }

    private static void assertRequestId(Answer a) {
        assertNotNull(a.requestId(), "x-request-id on " + a);
        assertEquals(16, a.requestId().length(), a.toString());
    }

    // ------------------------------------------------------------------ authentication

    @Test
    void everyAuthenticationFailureHasItsOkxCodeAndChangesNothing() throws Exception {
        String body = "{\"instId\":\"BTC-USDT\",\"tdMode\":\"cash\",\"side\":\"buy\",\"ordType\":\"limit\",\"px\":\"50000\",\"sz\":\"0.001\"}";
        String balanceBefore = aliceApi.get("/api/v5/account/balance?ccy=USDT").first().path("details").path(0).path("availBal").asText();

        Answer noKey = new OkxRestClient(engine.baseUri(), null).post("/api/v5/trade/order", body);
        assertEquals(401, noKey.status(), noKey.toString());
        assertEquals("50103", noKey.code());
        assertRequestId(noKey);

        Answer badSign = aliceApi.send("POST", "/api/v5/trade/order", body, OkxRestClient.isoNow(), "AAAA" + "=".repeat(40));
        assertEquals(401, badSign.status());
        assertEquals("50113", badSign.code());

        // the signature covers the body: signing one body and sending another is refused
        String ts = OkxRestClient.isoNow();
        String signedOther = OkxRestClient.sign(aliceKey.secret(), ts + "POST/api/v5/trade/order" + body.replace("0.001", "0.002"));
        assertEquals("50113", aliceApi.send("POST", "/api/v5/trade/order", body, ts, signedOther).code());

        String old = DateTimeFormatter.ISO_INSTANT.format(Instant.now().minusSeconds(31).truncatedTo(ChronoUnit.MILLIS));
        Answer expired = aliceApi.send("POST", "/api/v5/trade/order", body, old, null);
        assertEquals(401, expired.status());
        assertEquals("50102", expired.code());

        Answer badTs = aliceApi.send("GET", "/api/v5/account/balance", "", "yesterday", null);
        assertEquals("50112", badTs.code(), badTs.toString());

        Answer wrongPass = aliceApi.as(new Credentials(aliceKey.apiKey(), aliceKey.secret(), "Wrong-pass-1"))
                .post("/api/v5/trade/order", body);
        assertEquals(401, wrongPass.status());
        assertEquals("50105", wrongPass.code());

        Answer unknown = aliceApi.as(new Credentials("00000000-0000-0000-0000-000000000000", aliceKey.secret(),
                aliceKey.passphrase())).get("/api/v5/account/balance");
        assertEquals(401, unknown.status());
        assertEquals("50119", unknown.code());

        Answer readOnly = aliceApi.as(readOnlyKey).post("/api/v5/trade/order", body);
        assertEquals("50120", readOnly.code(), readOnly.toString());
        // the read-only key still reads
        assertEquals("0", aliceApi.as(readOnlyKey).get("/api/v5/account/balance").code());

        assertEquals(balanceBefore,
                aliceApi.get("/api/v5/account/balance?ccy=USDT").first().path("details").path(0).path("availBal").asText());
        assertEquals(0, aliceApi.get("/api/v5/trade/orders-pending?instId=BTC-USDT").data().size());
    }

    @Test
    void signatureCoversTheRawQueryString() throws Exception {
        Answer ok = aliceApi.get("/api/v5/account/balance?ccy=BTC,USDT");
        assertEquals("0", ok.code(), ok.toString());
        assertEquals(2, ok.first().path("details").size());
        String ts = OkxRestClient.isoNow();
        String signedWithoutQuery = OkxRestClient.sign(aliceKey.secret(), ts + "GET/api/v5/account/balance");
        assertEquals("50113", aliceApi.send("GET", "/api/v5/account/balance?ccy=BTC", "", ts, signedWithoutQuery).code());
    }

    // ------------------------------------------------------------------ public

    @Test
    void publicEndpoints() throws Exception {
        OkxRestClient anon = new OkxRestClient(engine.baseUri(), null);
        Answer time = anon.get("/api/v5/public/time");
        assertEquals("0", time.code());
        assertRequestId(time);
        assertTrue(Math.abs(time.first().path("ts").asLong() - System.currentTimeMillis()) < 5_000);

        Answer spot = anon.get("/api/v5/public/instruments?instType=SPOT");
        assertEquals(2, spot.data().size(), spot.toString());
        JsonNode btc = spot.data().path(0);
        assertEquals("BTC-USDT", btc.path("instId").asText());
        assertEquals("0.1", btc.path("tickSz").asText());
        assertEquals("0.00001", btc.path("lotSz").asText());
        assertEquals("live", btc.path("state").asText());
        assertTrue(btc.path("instIdCode").isIntegralNumber());
        assertTrue(btc.path("instIdCode").asLong() != spot.data().path(1).path("instIdCode").asLong());

        Answer one = anon.get("/api/v5/public/instruments?instType=SPOT&instId=ETH-USDT");
        assertEquals(1, one.data().size());
        Answer swap = anon.get("/api/v5/public/instruments?instType=SWAP");
        assertEquals("0", swap.code());
        assertEquals(0, swap.data().size());
        Answer bad = anon.get("/api/v5/public/instruments?instType=STOCKS");
        assertEquals(400, bad.status());
        assertEquals("51000", bad.code());
        assertEquals("50014", anon.get("/api/v5/public/instruments").code());
        assertEquals("51001", anon.get("/api/v5/public/instruments?instType=SPOT&instId=DOGE-USDT").code());
    }

    // ------------------------------------------------------------------ trading

    @Test
    void placeFillQueryAndBalancesAreExact() throws Exception {
        Answer sell = bobApi.post("/api/v5/trade/order", "{\"instId\":\"BTC-USDT\",\"tdMode\":\"cash\",\"side\":\"sell\","
                + "\"ordType\":\"limit\",\"px\":\"61000\",\"sz\":\"0.5\",\"clOrdId\":\"bobAsk1\",\"tag\":\"t1\"}");
        assertEquals("0", sell.code(), sell.toString());
        assertEquals("0", sell.first().path("sCode").asText());
        assertEquals("t1", sell.first().path("tag").asText());
        assertFalse(sell.json().path("inTime").asText().isEmpty());
        String bobOrd = sell.first().path("ordId").asText();

        BigDecimal usdtBefore = avail(aliceApi, "USDT");
        BigDecimal btcBefore = avail(aliceApi, "BTC");
        Answer buy = aliceApi.post("/api/v5/trade/order", "{\"instId\":\"BTC-USDT\",\"tdMode\":\"cash\",\"side\":\"buy\","
                + "\"ordType\":\"limit\",\"px\":\"61000\",\"sz\":\"0.2\",\"clOrdId\":\"aliceBid1\",\"unknownField\":1,\"ccy\":null}");
        assertEquals("0", buy.code(), buy.toString());
        String aliceOrd = buy.first().path("ordId").asText();

        // a retry with the same clOrdId answers the original order, never a second one
        Answer retry = aliceApi.post("/api/v5/trade/order", "{\"instId\":\"BTC-USDT\",\"tdMode\":\"cash\",\"side\":\"buy\","
                + "\"ordType\":\"limit\",\"px\":\"61000\",\"sz\":\"0.2\",\"clOrdId\":\"aliceBid1\"}");
        assertEquals(aliceOrd, retry.first().path("ordId").asText(), retry.toString());

        JsonNode filled = aliceApi.get("/api/v5/trade/order?instId=BTC-USDT&ordId=" + aliceOrd).first();
        assertEquals("filled", filled.path("state").asText());
        assertEquals("0.2", filled.path("accFillSz").asText());
        assertEquals("61000", filled.path("avgPx").asText());
        assertEquals("BTC", filled.path("feeCcy").asText());
        assertEquals("-0.0002", filled.path("fee").asText()); // taker 0.1% of 0.2 BTC
        assertEquals("aliceBid1", aliceApi.get("/api/v5/trade/order?instId=BTC-USDT&clOrdId=aliceBid1").first()
                .path("clOrdId").asText());

        // 0.2 × 61000 = 12200 USDT paid; 0.2 − 0.0002 BTC received
        assertEquals(0, usdtBefore.subtract(new BigDecimal("12200")).compareTo(avail(aliceApi, "USDT")));
        assertEquals(0, btcBefore.add(new BigDecimal("0.1998")).compareTo(avail(aliceApi, "BTC")));

        JsonNode aliceFill = aliceApi.get("/api/v5/trade/fills?instId=BTC-USDT&ordId=" + aliceOrd).first();
        assertEquals("T", aliceFill.path("execType").asText());
        assertEquals("buy", aliceFill.path("side").asText());
        assertEquals("61000", aliceFill.path("fillPx").asText());
        assertEquals("0.2", aliceFill.path("fillSz").asText());
        JsonNode bobFill = bobApi.get("/api/v5/trade/fills?instId=BTC-USDT&ordId=" + bobOrd).first();
        assertEquals("M", bobFill.path("execType").asText());
        assertEquals("sell", bobFill.path("side").asText());
        assertEquals(aliceFill.path("tradeId").asText(), bobFill.path("tradeId").asText());
        assertEquals("USDT", bobFill.path("feeCcy").asText());
        assertEquals("-9.76", bobFill.path("fee").asText()); // maker 0.08% of 12200 USDT

        JsonNode bobLive = bobApi.get("/api/v5/trade/orders-pending?instId=BTC-USDT").data();
        assertEquals(1, bobLive.size());
        assertEquals("partially_filled", bobLive.path(0).path("state").asText());
        assertEquals("0.3", bobLive.path(0).path("sz").asDouble() - bobLive.path(0).path("accFillSz").asDouble() > 0.29 ? "0.3" : "x");
        assertEquals(0, bobApi.get("/api/v5/trade/orders-history?instType=SPOT&instId=BTC-USDT").data().size());

        // amend keeps the order, cancel ends it; both visible through the queries
        Answer amend = bobApi.post("/api/v5/trade/amend-order", "{\"instId\":\"BTC-USDT\",\"ordId\":\"" + bobOrd
                + "\",\"newPx\":\"62000\",\"reqId\":\"r1\"}");
        assertEquals("0", amend.code(), amend.toString());
        assertEquals("r1", amend.first().path("reqId").asText());
        assertEquals("62000", bobApi.get("/api/v5/trade/order?instId=BTC-USDT&ordId=" + bobOrd).first().path("px").asText());
        Answer cancel = bobApi.post("/api/v5/trade/cancel-order", "{\"instId\":\"BTC-USDT\",\"clOrdId\":\"bobAsk1\"}");
        assertEquals("0", cancel.code(), cancel.toString());
        assertEquals(bobOrd, cancel.first().path("ordId").asText());
        JsonNode history = bobApi.get("/api/v5/trade/orders-history?instType=SPOT&instId=BTC-USDT").data();
        assertEquals(1, history.size());
        assertEquals("canceled", history.path(0).path("state").asText());
        assertEquals(0, bobApi.get("/api/v5/trade/orders-pending?instId=BTC-USDT").data().size());
        Answer again = bobApi.post("/api/v5/trade/cancel-order", "{\"instId\":\"BTC-USDT\",\"ordId\":\"" + bobOrd + "\"}");
        assertEquals("1", again.code());
        assertEquals("51400", again.first().path("sCode").asText(), again.toString());
    }

    @Test
    void batchesAnswerPerItemWithCodeTwoWhenPartial() throws Exception {
        Answer batch = aliceApi.post("/api/v5/trade/batch-orders", "["
                + "{\"instId\":\"BTC-USDT\",\"tdMode\":\"cash\",\"side\":\"buy\",\"ordType\":\"limit\",\"px\":\"55000\",\"sz\":\"0.01\",\"clOrdId\":\"b1\"},"
                + "{\"instId\":\"BTC-USDT\",\"tdMode\":\"cash\",\"side\":\"buy\",\"ordType\":\"limit\",\"px\":\"55000.05\",\"sz\":\"0.01\"},"
                + "{\"instId\":\"NOPE-USDT\",\"tdMode\":\"cash\",\"side\":\"buy\",\"ordType\":\"limit\",\"px\":\"1\",\"sz\":\"1\"},"
                + "{\"instId\":\"BTC-USDT\",\"tdMode\":\"cash\",\"side\":\"buy\",\"ordType\":\"limit\",\"px\":\"55000\",\"sz\":\"1000000\"}]");
        assertEquals("2", batch.code(), batch.toString());
        JsonNode d = batch.data();
        assertEquals(4, d.size());
        assertEquals("0", d.path(0).path("sCode").asText());
        assertEquals("b1", d.path(0).path("clOrdId").asText());
        assertEquals("51000", d.path(1).path("sCode").asText()); // more decimals than the tick allows
        assertEquals("51001", d.path(2).path("sCode").asText());
        assertFalse("0".equals(d.path(3).path("sCode").asText()), d.toString()); // beyond max size / funds

        Answer cancels = aliceApi.post("/api/v5/trade/cancel-batch-orders", "[{\"instId\":\"BTC-USDT\",\"clOrdId\":\"b1\"},"
                + "{\"instId\":\"BTC-USDT\",\"ordId\":\"999999999\"}]");
        assertEquals("2", cancels.code(), cancels.toString());

        StringBuilder tooMany = new StringBuilder("[");
        for (int i = 0; i < 21; i++) {
            tooMany.append(i == 0 ? "" : ",").append("{\"instId\":\"BTC-USDT\",\"clOrdId\":\"x").append(i).append("\"}");
        }
        Answer over = aliceApi.post("/api/v5/trade/cancel-batch-orders", tooMany.append("]").toString());
        assertEquals("50025", over.code(), over.toString());
    }

    @Test
    void malformedInputGetsOkxCodesAndChangesNothing() throws Exception {
        BigDecimal usdt = avail(aliceApi, "USDT");
        Answer notJson = aliceApi.post("/api/v5/trade/order", "{\"instId\":");
        assertEquals(400, notJson.status());
        assertEquals("50002", notJson.code());
        assertRequestId(notJson);
        Answer missing = aliceApi.post("/api/v5/trade/order", "{\"instId\":\"BTC-USDT\",\"tdMode\":\"cash\",\"side\":\"buy\",\"ordType\":\"limit\",\"px\":\"100\"}");
        assertEquals("50014", missing.code());
        assertEquals(400, missing.status());
        Answer side = aliceApi.post("/api/v5/trade/order", "{\"instId\":\"BTC-USDT\",\"tdMode\":\"cash\",\"side\":\"long\",\"ordType\":\"limit\",\"px\":\"100\",\"sz\":\"1\"}");
        assertEquals("51000", side.code());
        Answer margin = aliceApi.post("/api/v5/trade/order", "{\"instId\":\"BTC-USDT\",\"tdMode\":\"cross\",\"side\":\"buy\",\"ordType\":\"limit\",\"px\":\"100\",\"sz\":\"1\"}");
        assertEquals("51000", margin.code());
        Answer negative = aliceApi.post("/api/v5/trade/order", "{\"instId\":\"BTC-USDT\",\"tdMode\":\"cash\",\"side\":\"buy\",\"ordType\":\"limit\",\"px\":\"-1\",\"sz\":\"1\"}");
        assertEquals("51000", negative.code());
        Answer expo = aliceApi.post("/api/v5/trade/order", "{\"instId\":\"BTC-USDT\",\"tdMode\":\"cash\",\"side\":\"buy\",\"ordType\":\"limit\",\"px\":\"1e3\",\"sz\":\"1\"}");
        assertEquals("51000", expo.code());
        Answer clOrd = aliceApi.post("/api/v5/trade/order", "{\"instId\":\"BTC-USDT\",\"tdMode\":\"cash\",\"side\":\"buy\",\"ordType\":\"limit\",\"px\":\"100\",\"sz\":\"1\",\"clOrdId\":\"has space\"}");
        assertEquals("51000", clOrd.code());
        Answer noFunds = aliceApi.post("/api/v5/trade/order", "{\"instId\":\"BTC-USDT\",\"tdMode\":\"cash\",\"side\":\"buy\",\"ordType\":\"limit\",\"px\":\"60000\",\"sz\":\"900\"}");
        assertEquals("1", noFunds.code());
        assertEquals("51008", noFunds.first().path("sCode").asText(), noFunds.toString());
        Answer noOrder = aliceApi.get("/api/v5/trade/order?instId=BTC-USDT&ordId=424242");
        assertEquals("51603", noOrder.code());
        assertEquals("50015", aliceApi.get("/api/v5/trade/order?instId=BTC-USDT").code());
        assertEquals("51000", aliceApi.get("/api/v5/trade/orders-pending?limit=1000").code());
        assertEquals(0, usdt.compareTo(avail(aliceApi, "USDT")));
    }

    @Test
    void rateLimitsAnswer429AndTheAccountLimit() throws Exception {
        // windows of 30 s make the counts independent of how fast this machine answers
        String amend = "{\"instId\":\"BTC-USDT\",\"ordId\":\"987654321\",\"newSz\":\"0.002\"}";
        for (int i = 0; i < 4; i++) {
            Answer a = carolApi.post("/api/v5/trade/amend-order", amend);
            assertEquals("1", a.code(), "within trade/amend-order=4/30s, refused by the engine only: " + a);
        }
        Answer refused = carolApi.post("/api/v5/trade/amend-order", amend);
        assertEquals(429, refused.status(), refused.toString());
        assertEquals("50011", refused.code());
        assertRequestId(refused);
        // the per-instrument rule is per instrument: another instrument still has its own budget
        assertEquals("1", carolApi.post("/api/v5/trade/amend-order", amend.replace("BTC-USDT", "ETH-USDT")).code());

        // the account-wide rule (30 / 30 s) counts new and amended orders over every instrument: 5 amends
        // so far, a batch of 20 fits, the next batch of 20 does not and is refused whole
        String order = "{\"instId\":\"BTC-USDT\",\"tdMode\":\"cash\",\"side\":\"buy\",\"ordType\":\"limit\",\"px\":\"55000\",\"sz\":\"0.001\"}";
        StringBuilder batch = new StringBuilder("[");
        for (int i = 0; i < 20; i++) {
            batch.append(i == 0 ? "" : ",").append(order);
        }
        String twenty = batch.append("]").toString();
        assertEquals("0", carolApi.post("/api/v5/trade/batch-orders", twenty).code());
        int before = carolApi.get("/api/v5/trade/orders-pending?instId=BTC-USDT").data().size();
        Answer overAccount = carolApi.post("/api/v5/trade/batch-orders", twenty);
        assertEquals("50061", overAccount.code(), overAccount.toString());
        assertEquals(before, carolApi.get("/api/v5/trade/orders-pending?instId=BTC-USDT").data().size(), "nothing placed");
        JsonNode rate = carolApi.get("/api/v5/trade/account-rate-limit").first();
        assertEquals("30", rate.path("accRateLimit").asText(), rate.toString());
        assertTrue(engine.metric("bourse_rate_limit_hits_total") >= 2);
    }

    @Test
    void accountAndAssetViews() throws Exception {
        JsonNode config = bobApi.get("/api/v5/account/config").first();
        assertEquals(Long.toString(bob), config.path("uid").asText());
        assertEquals("1", config.path("acctLv").asText());
        assertTrue(config.path("perm").asText().contains("trade"));
        JsonNode currencies = bobApi.get("/api/v5/asset/currencies").data();
        assertEquals(3, currencies.size());
        JsonNode funding = bobApi.get("/api/v5/asset/balances?ccy=ETH").data();
        assertEquals("ETH", funding.path(0).path("ccy").asText());
        assertEquals("100", funding.path(0).path("bal").asText());
    }

    @Test
    void cancelAllAfterCancelsWhenNotRenewed() throws Exception {
        OkxRestClient dave;
        try (Database db = testDb.open()) {
            long id = TraderFixture.user(db, "rest-dave", Map.of("USDT", "100000"));
            dave = TraderFixture.client(engine, TraderFixture.apiKey(engine, id, "read_only,trade"));
        }
        for (int i = 0; i < 3; i++) {
            assertEquals("0", dave.post("/api/v5/trade/order", "{\"instId\":\"BTC-USDT\",\"tdMode\":\"cash\",\"side\":\"buy\","
                    + "\"ordType\":\"limit\",\"px\":\"55000\",\"sz\":\"0.01\"}").code());
        }
        Answer set = dave.post("/api/v5/trade/cancel-all-after", "{\"timeOut\":\"10\"}");
        assertEquals("0", set.code(), set.toString());
        long trigger = set.first().path("triggerTime").asLong();
        assertTrue(trigger >= System.currentTimeMillis() / 1000 + 9, set.toString());
        Thread.sleep(1_100); // trade/cancel-all-after allows one call a second
        assertEquals("51000", dave.post("/api/v5/trade/cancel-all-after", "{\"timeOut\":\"5\"}").code());
        assertEquals(3, dave.get("/api/v5/trade/orders-pending").data().size());
        long deadline = System.currentTimeMillis() + 20_000;
        int live = 3;
        while (live > 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(500);
            live = dave.get("/api/v5/trade/orders-pending").data().size();
        }
        assertEquals(0, live, "all orders canceled by the dead man's switch");
        assertEquals(0, avail(dave, "USDT").compareTo(new BigDecimal("100000")), "holds released");
    }

    private static BigDecimal avail(OkxRestClient api, String ccy) throws Exception {
        Answer a = api.get("/api/v5/account/balance?ccy=" + ccy);
        return new BigDecimal(a.first().path("details").path(0).path("availBal").asText("0"));
    }
}
