package dev.bourse.client.it;

import dev.bourse.client.ClientConfig;
import dev.bourse.client.OkxClient;
import dev.bourse.client.TimeSync;
import dev.bourse.client.auth.Credentials;
import dev.bourse.client.error.ApiException;
import dev.bourse.client.error.OkxErrors;
import dev.bourse.client.rest.RestStats;
import dev.bourse.client.rest.RetryPolicy;
import dev.bourse.client.rest.account.AccountBalance;
import dev.bourse.client.rest.account.AccountConfig;
import dev.bourse.client.rest.asset.DepositAddress;
import dev.bourse.client.rest.asset.WithdrawalAck;
import dev.bourse.client.rest.asset.WithdrawalRecord;
import dev.bourse.client.rest.gate.Cost;
import dev.bourse.client.rest.gate.GateConfig;
import dev.bourse.client.rest.market.OrderBook;
import dev.bourse.client.rest.market.Ticker;
import dev.bourse.client.rest.publicdata.Instrument;
import dev.bourse.client.rest.trade.AccountRateLimit;
import dev.bourse.client.rest.trade.AmendRequest;
import dev.bourse.client.rest.trade.CancelRequest;
import dev.bourse.client.rest.trade.Fill;
import dev.bourse.client.rest.trade.Order;
import dev.bourse.client.rest.trade.OrderAck;
import dev.bourse.client.rest.trade.OrderRequest;
import dev.bourse.client.rest.trade.OrderType;
import dev.bourse.client.rest.trade.PlaceResult;
import dev.bourse.client.rest.trade.Side;
import dev.bourse.testkit.DevEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SDK against a real Bourse engine (dev profile, embedded H2): public data, the order lifecycle of two demo
 * users, batch operations, errors as the exchange reports them, account and wallet endpoints, and the request gate
 * against the engine's own rate limits ({@code market/ticker} lowered to 5 per second for this test).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OkxClientIT {
    private static final String BTC = "BTC-USDT";
    private static final int TICKER_LIMIT = 5;

    private DevEngine engine;
    private OkxClient alice;
    private OkxClient bob;
    private OkxClient anonymous;

    @BeforeAll
    void start() throws Exception {
        // fewer PBKDF2 rounds for the demo keys' passphrases: the first call of each key verifies one (cached after)
        engine = DevEngine.start("client-it", Map.of("RATE_LIMITS", "market/ticker=" + TICKER_LIMIT + "/1s",
                "AUTH_PBKDF2_ITERATIONS", "10000"));
        alice = client(demoCredentials("demo-alice"), GateConfig.defaults());
        bob = client(demoCredentials("demo-bob"), GateConfig.defaults());
        anonymous = client(null, GateConfig.defaults());
    }

    private Credentials demoCredentials(String user) {
        DevEngine.DemoKey key = engine.demoKey(user);
        return new Credentials(key.apiKey(), key.secretKey(), key.passphrase());
    }

    private OkxClient client(Credentials credentials, GateConfig gate) {
        return OkxClient.create(ClientConfig.builder().baseUrl(engine.baseUrl()).credentials(credentials).gate(gate)
                .clOrdIdPrefix("it").build());
    }

    @AfterAll
    void stop() {
        for (OkxClient c : new OkxClient[] {alice, bob, anonymous}) {
            if (c != null) {
                c.close();
            }
        }
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void publicDataAndTimeSync() {
        TimeSync sync = anonymous.syncTime();
        assertTrue(Math.abs(sync.offsetMillis()) <= sync.roundTripMillis() / 2 + 50, "same machine: " + sync);

        assertTrue(Math.abs(anonymous.publicData().time().execute().ts() - System.currentTimeMillis()) < 5_000);
        Instrument btc = anonymous.publicData().instruments().instId(BTC).execute().getFirst();
        assertEquals(new BigDecimal("0.1"), btc.tickSz());
        assertEquals("BTC", btc.baseCcy());
        assertTrue(btc.live());
        assertNotNull(btc.instIdCode());
        assertEquals(List.of(), anonymous.publicData().instruments().instType("SWAP").execute());
        assertEquals(List.of(), anonymous.publicData().underlying().execute());

        assertTrue(anonymous.market().tickers().execute().stream().anyMatch(t -> BTC.equals(t.instId())));
        assertEquals(BTC, anonymous.market().ticker().instId(BTC).execute().instId());
        OrderBook book = anonymous.market().books().instId(BTC).sz(5).execute();
        assertNotNull(book.seqId());
        anonymous.market().trades().instId(BTC).limit(5).execute();
        anonymous.market().historyTrades().instId(BTC).limit(5).execute();
        anonymous.market().candles().instId(BTC).bar("1m").limit(5).execute();
        anonymous.market().historyCandles().instId(BTC).bar("1H").limit(5).execute();

        ApiException unknown = assertThrows(ApiException.class, () -> anonymous.market().ticker().instId("NOPE-USDT")
                .execute());
        assertEquals("51001", unknown.code());
        assertNotNull(unknown.requestId(), "Bourse sends x-request-id");
    }

    @Test
    void orderLifecycleBetweenTwoUsers() {
        BigDecimal bobBtcBefore = bob.account().balance().ccy("BTC").execute().detail("BTC").orElseThrow().availBal();

        String sellId = alice.trade().clOrdIds().next();
        OrderAck placed = alice.trade().placeOrder().instId(BTC).side(Side.SELL)
                .ordType(OrderType.LIMIT).px("61000").sz("0.01").clOrdId(sellId).execute();
        assertTrue(placed.ok());
        assertEquals(sellId, placed.clOrdId());

        Order live = alice.trade().order().instId(BTC).clOrdId(sellId).execute();
        assertEquals(placed.ordId(), live.ordId());
        assertEquals("live", live.state());
        assertEquals(0, new BigDecimal("61000").compareTo(live.px()), live.px().toPlainString());

        OrderAck amended = alice.trade().amendOrder().instId(BTC).ordId(placed.ordId()).newPx("60900").reqId("am1")
                .execute();
        assertEquals("am1", amended.reqId());
        assertEquals(0, new BigDecimal("60900").compareTo(alice.trade().order().instId(BTC).ordId(placed.ordId())
                .execute().px()));
        assertTrue(alice.trade().ordersPending().instId(BTC).execute().stream()
                .anyMatch(o -> o.ordId().equals(placed.ordId())));

        OrderAck taker = bob.trade().placeOrder().order(OrderRequest.limit(BTC, Side.BUY, new BigDecimal("60900"),
                new BigDecimal("0.004"))).execute();
        Order partly = alice.trade().order().instId(BTC).ordId(placed.ordId()).execute();
        assertEquals("partially_filled", partly.state());
        assertEquals(0, new BigDecimal("0.004").compareTo(partly.accFillSz()));

        Fill maker = alice.trade().fills().ordId(placed.ordId()).execute().getFirst();
        assertEquals("M", maker.execType());
        Fill takerFill = bob.trade().fills().ordId(taker.ordId()).execute().getFirst();
        assertEquals("T", takerFill.execType());
        assertEquals(maker.tradeId(), takerFill.tradeId());
        // bob received 0.004 BTC and paid his fee in BTC (negative: charged)
        BigDecimal bobBtcAfter = bob.account().balance().ccy("BTC").execute().detail("BTC").orElseThrow().availBal();
        assertEquals(0, bobBtcBefore.add(takerFill.fillSz()).add(takerFill.fee()).compareTo(bobBtcAfter),
                bobBtcBefore + " + " + takerFill.fillSz() + " + " + takerFill.fee() + " vs " + bobBtcAfter);

        OrderAck canceled = alice.trade().cancelOrder().instId(BTC).clOrdId(sellId).execute();
        assertEquals(placed.ordId(), canceled.ordId());
        assertTrue(alice.trade().ordersHistory().instId(BTC).state("canceled").execute().stream()
                .anyMatch(o -> o.ordId().equals(placed.ordId())));
        assertTrue(bob.trade().ordersHistory().instId(BTC).state("filled").execute().stream()
                .anyMatch(o -> o.ordId().equals(taker.ordId())));
        assertFalse(alice.trade().fillsHistory().instId(BTC).execute().isEmpty());
        alice.trade().ordersHistoryArchive().instId(BTC).limit(1).execute();
    }

    @Test
    void batchesAndRejectionsAsTheExchangeReportsThem() {
        List<OrderAck> acks = alice.trade().batchOrders()
                .add(OrderRequest.limit(BTC, Side.BUY, new BigDecimal("55000"), new BigDecimal("0.001"))
                        .withClOrdId(alice.trade().clOrdIds().next()))
                .add(OrderRequest.limit(BTC, Side.BUY, new BigDecimal("55100"), new BigDecimal("0.001"))
                        .withClOrdId(alice.trade().clOrdIds().next()))
                .execute();
        assertEquals(2, acks.size());
        alice.trade().amendBatchOrders()
                .add(AmendRequest.byOrdId(BTC, acks.get(0).ordId())
                        .withNewSz(new BigDecimal("0.0005")))
                .execute();
        List<OrderAck> cancels = alice.trade().cancelBatchOrders().add(CancelRequest.byOrdId(BTC, acks.get(0).ordId()))
                .add(CancelRequest.byOrdId(BTC, acks.get(1).ordId())).execute();
        assertTrue(cancels.stream().allMatch(OrderAck::ok));

        ApiException partial = assertThrows(ApiException.class, () -> alice.trade().batchOrders()
                .add(OrderRequest.limit(BTC, Side.BUY, new BigDecimal("55000"), new BigDecimal("0.001")))
                .add(OrderRequest.limit("NOPE-USDT", Side.BUY, new BigDecimal("1"), new BigDecimal("1")))
                .execute());
        assertTrue(partial.partial(), partial.getMessage());
        assertEquals(1, partial.failedItems().size());
        assertEquals("51001", partial.failedItems().getFirst().sCode());
        String survivor = partial.items().getFirst().ordId();
        alice.trade().cancelOrder().instId(BTC).ordId(survivor).execute();

        ApiException poor = assertThrows(ApiException.class, () -> bob.trade().placeOrder().order(
                OrderRequest.limit(BTC, Side.BUY, new BigDecimal("60000"), new BigDecimal("900"))).execute());
        assertEquals("51008", poor.sCode(), poor.getMessage());

        ApiException missing = assertThrows(ApiException.class, () -> alice.trade().order().instId(BTC)
                .clOrdId("neverPlaced1").execute());
        assertEquals("51603", missing.code());

        Credentials real = demoCredentials("demo-alice");
        try (OkxClient forged = client(new Credentials(real.apiKey(), "not-the-secret", real.passphrase()),
                GateConfig.defaults())) {
            ApiException e = assertThrows(ApiException.class, () -> forged.account().balance().execute());
            assertTrue(OkxErrors.isAuth(e), e.getMessage());
            assertEquals(401, e.httpStatus());
            assertEquals("50113", e.code());
        }
    }

    @Test
    void placeOrReconcileAndTheClOrdIdAsIdempotencyKey() {
        OrderRequest order = OrderRequest.limit(BTC, Side.BUY, new BigDecimal("55500"), new BigDecimal("0.001"));
        PlaceResult first = alice.trade().placeOrReconcile(order);
        assertEquals(PlaceResult.Resolution.PLACED, first.resolution());
        // the same clOrdId again is answered with the original order (Bourse), never a second order
        PlaceResult again = alice.trade().placeOrReconcile(order.withClOrdId(first.clOrdId()));
        assertEquals(first.ordId(), again.ordId());
        assertEquals(1, alice.trade().ordersPending().instId(BTC).execute().stream()
                .filter(o -> first.clOrdId().equals(o.clOrdId())).count());
        alice.trade().cancelOrder().instId(BTC).ordId(first.ordId()).execute();
    }

    @Test
    void accountAssetsAndTheAccountRateLimit() {
        AccountBalance balance = alice.account().balance().execute();
        assertTrue(balance.detail("USDT").isPresent());
        BalanceCheck.sums(balance);
        AccountConfig config = alice.account().config().execute();
        assertEquals("1", config.acctLv());
        assertTrue(config.canTrade() && config.canWithdraw(), config.perm());

        AccountRateLimit limit = alice.trade().accountRateLimit().execute();
        assertEquals(1000, limit.accRateLimit());
        assertEquals(1000, alice.gate().limit(Cost.ACCOUNT).limit());

        assertTrue(alice.asset().currencies().execute().stream().anyMatch(c -> "BTC".equals(c.ccy())));
        assertTrue(alice.asset().balances().ccy("BTC").execute().getFirst().bal().signum() > 0);
        DepositAddress address = alice.asset().depositAddress().ccy("BTC").execute().getFirst();
        assertTrue(address.addr().startsWith("sim1"), address.addr());
        alice.asset().depositHistory().ccy("BTC").execute();

        // above the review threshold (5 BTC in the dev policy): it waits for an operator, so it can be cancelled
        String clientId = alice.trade().clOrdIds().next();
        WithdrawalAck w = alice.asset().withdrawal().ccy("BTC").amt("6").toAddr("sim1elsewhere").clientId(clientId)
                .execute();
        WithdrawalRecord waiting = alice.asset().withdrawalHistory().clientId(clientId).execute().getFirst();
        assertEquals(w.wdId(), waiting.wdId());
        assertEquals("4", waiting.state());
        assertEquals(w.wdId(), alice.asset().cancelWithdrawal().wdId(w.wdId()).execute());
        assertEquals("-2", alice.asset().withdrawalHistory().wdId(w.wdId()).execute().getFirst().state());

        assertEquals(0L, alice.trade().cancelAllAfter().timeOut(0).execute().triggerTime());
    }

    @Test
    void theGateKeepsAClientWithinTheExchangesLimits() throws Exception {
        // budget matching the engine's limit: no 429 at all
        GateConfig matching = GateConfig.builder().routeLimit("market/ticker", TICKER_LIMIT, Duration.ofSeconds(1))
                .build();
        try (OkxClient paced = client(null, matching)) {
            Thread.sleep(1_100); // the engine counts per IP: let other tests' ticker calls leave its window
            RestStats s = hammerTicker(paced, 10);
            assertEquals(0, s.rateLimited(), s.toString());
            assertTrue(s.gate().waited() > 0, "the gate held requests back: " + s);
        }
        // no budget: the engine answers 429, the gate backs off, retries get through, and 429s stay few
        GateConfig blind = GateConfig.builder().routeBudgets(false).maxConcurrent(2)
                .backoff(Duration.ofMillis(300), Duration.ofSeconds(2)).build();
        try (OkxClient unpaced = OkxClient.create(ClientConfig.builder().baseUrl(engine.baseUrl()).gate(blind)
                .retry(new RetryPolicy(8, Duration.ofMillis(50), Duration.ofMillis(500)))
                .requestTimeout(Duration.ofSeconds(20)).build())) {
            Thread.sleep(1_100); // a fresh window on the engine's side
            RestStats s = hammerTicker(unpaced, 10);
            assertTrue(s.rateLimited() > 0, "the engine did limit: " + s);
            assertTrue(s.gate().backoffs() > 0, s.toString());
            assertTrue(s.rateLimited() < 10, "fewer 429s than calls, no storm: " + s);
            assertEquals(10, s.calls());
            assertEquals(0, s.apiErrors(), "every call got through in the end: " + s);
        }
    }

    /** {@code n} ticker calls from 2 threads; returns the client's counters. */
    private static RestStats hammerTicker(OkxClient c, int n) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Ticker>> calls = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                calls.add(pool.submit(() -> c.market().ticker().instId(BTC).execute()));
            }
            for (Future<Ticker> f : calls) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        return c.stats();
    }

    /** Spot balances: equity is available plus frozen. */
    private static final class BalanceCheck {
        static void sums(AccountBalance b) {
            b.details().forEach(d -> assertEquals(0, d.eq().compareTo(d.availBal().add(d.frozenBal())), d.toString()));
        }
    }
}
