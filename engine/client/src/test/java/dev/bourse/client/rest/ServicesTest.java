package dev.bourse.client.rest;

import dev.bourse.client.OkxClient;
import dev.bourse.client.rest.account.AccountBalance;
import dev.bourse.client.rest.account.AccountConfig;
import dev.bourse.client.rest.asset.DepositAddress;
import dev.bourse.client.rest.asset.WithdrawalAck;
import dev.bourse.client.rest.asset.WithdrawalRecord;
import dev.bourse.client.rest.gate.Cost;
import dev.bourse.client.rest.market.Candle;
import dev.bourse.client.rest.market.OrderBook;
import dev.bourse.client.rest.publicdata.Instrument;
import dev.bourse.client.rest.trade.AccountRateLimit;
import dev.bourse.client.rest.trade.AmendRequest;
import dev.bourse.client.rest.trade.CancelAllAfter;
import dev.bourse.client.rest.trade.Fill;
import dev.bourse.client.rest.trade.Order;
import dev.bourse.client.rest.trade.OrderAck;
import dev.bourse.client.rest.trade.OrderType;
import dev.bourse.client.support.MockExchange;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each feature's requests are shaped as OKX documents them and its answers (OKX's examples) read into records. */
class ServicesTest {
    @Test
    void marketData() throws Exception {
        try (MockExchange ex = new MockExchange(); OkxClient c = ex.client()) {
            ex.ok("{\"asks\":[[\"41006.8\",\"0.60038921\",\"0\",\"1\"]],\"bids\":[[\"41006.3\",\"0.30178218\",\"0\",\"2\"],"
                    + "[\"41006.1\",\"1\",\"0\",\"1\"]],\"ts\":\"1629966436396\",\"seqId\":\"123\"}");
            OrderBook book = c.market().books().instId("BTC-USDT").sz(2).execute();
            assertEquals(new BigDecimal("41006.8"), book.bestAsk().px());
            assertEquals(new BigDecimal("0.30178218"), book.bestBid().sz());
            assertEquals(2, book.bestBid().orderCount());
            assertEquals(123L, book.seqId());
            assertEquals("/api/v5/market/books?instId=BTC-USDT&sz=2", ex.take().getTarget());

            ex.ok("[\"1597026383085\",\"3.721\",\"3.743\",\"3.677\",\"3.708\",\"8422410\",\"22698348.04828491\","
                    + "\"12698348.04828491\",\"0\"],[\"1597026323085\",\"3.731\",\"3.799\",\"3.494\",\"3.72\",\"24912403\","
                    + "\"67632347.24399722\",\"37632347.24399722\",\"1\"]");
            List<Candle> bars = c.market().candles().instId("BTC-USDT").bar("1H").limit(2).execute();
            assertEquals(2, bars.size());
            assertEquals(1597026383085L, bars.getFirst().ts());
            assertEquals(new BigDecimal("3.708"), bars.getFirst().close());
            assertFalse(bars.getFirst().confirm());
            assertTrue(bars.get(1).confirm());
            assertEquals("/api/v5/market/candles?instId=BTC-USDT&bar=1H&limit=2", ex.take().getTarget());

            ex.ok("");
            c.market().historyCandles().instId("BTC-USDT").after(1597026383085L).execute();
            assertEquals("/api/v5/market/history-candles?instId=BTC-USDT&after=1597026383085", ex.take().getTarget());

            ex.ok("{\"instId\":\"BTC-USDT\",\"side\":\"sell\",\"sz\":\"0.00001\",\"px\":\"29963.2\",\"tradeId\":\"242720720\","
                    + "\"ts\":\"1654161646974\"}");
            assertEquals("242720720", c.market().trades().instId("BTC-USDT").limit(1).execute().getFirst().tradeId());
            assertEquals("/api/v5/market/trades?instId=BTC-USDT&limit=1", ex.take().getTarget());

            ex.ok("");
            c.market().historyTrades().instId("BTC-USDT").after("242720720").limit(50).execute();
            assertEquals("/api/v5/market/history-trades?instId=BTC-USDT&after=242720720&limit=50", ex.take().getTarget());

            ex.ok("");
            c.market().tickers().execute();
            assertEquals("/api/v5/market/tickers?instType=SPOT", ex.take().getTarget());
        }
    }

    @Test
    void publicData() throws Exception {
        try (MockExchange ex = new MockExchange(); OkxClient c = ex.client()) {
            ex.ok("{\"instType\":\"SPOT\",\"instId\":\"BTC-USDT\",\"instIdCode\":1000001,\"baseCcy\":\"BTC\",\"quoteCcy\":\"USDT\","
                    + "\"tickSz\":\"0.1\",\"lotSz\":\"0.00000001\",\"minSz\":\"0.00001\",\"maxLmtSz\":\"9999999999\","
                    + "\"maxMktSz\":\"\",\"state\":\"live\",\"listTime\":\"1606468572000\",\"futureSettlement\":false}");
            Instrument i = c.publicData().instruments().instId("BTC-USDT").execute().getFirst();
            assertEquals(new BigDecimal("0.1"), i.tickSz());
            assertEquals(1000001L, i.instIdCode());
            assertNull(i.maxMktSz());
            assertTrue(i.live());
            assertEquals("/api/v5/public/instruments?instType=SPOT&instId=BTC-USDT", ex.take().getTarget());

            ex.ok("[]");
            assertEquals(List.of(), c.publicData().underlying().execute());
            assertEquals("/api/v5/public/underlying?instType=SWAP", ex.take().getTarget());
        }
    }

    @Test
    void tradeQueriesAndOperations() throws Exception {
        try (MockExchange ex = new MockExchange(); OkxClient c = ex.client()) {
            ex.ok("{\"instType\":\"SPOT\",\"instId\":\"BTC-USDT\",\"ordId\":\"680800019749904384\",\"clOrdId\":\"b15\","
                    + "\"px\":\"59000\",\"sz\":\"0.01\",\"ordType\":\"limit\",\"side\":\"buy\",\"tdMode\":\"cash\","
                    + "\"accFillSz\":\"0.004\",\"fillPx\":\"\",\"avgPx\":\"58999.9\",\"state\":\"partially_filled\","
                    + "\"fee\":\"-0.000004\",\"feeCcy\":\"BTC\",\"uTime\":\"1708587373361\",\"cTime\":\"1708587373361\","
                    + "\"attachAlgoOrds\":[],\"linkedAlgoOrd\":{\"algoId\":\"\"}}");
            Order o = c.trade().order().instId("BTC-USDT").ordId("680800019749904384").execute();
            assertTrue(o.open());
            assertEquals(new BigDecimal("-0.000004"), o.fee());
            assertNull(o.fillPx());
            assertEquals("/api/v5/trade/order?instId=BTC-USDT&ordId=680800019749904384", ex.take().getTarget());

            ex.ok("");
            c.trade().ordersPending().instId("BTC-USDT").ordType(OrderType.POST_ONLY).limit(10).execute();
            assertEquals("/api/v5/trade/orders-pending?instId=BTC-USDT&ordType=post_only&limit=10", ex.take().getTarget());

            ex.ok("");
            c.trade().ordersHistory().state("filled").begin(1L).end(2L).execute();
            assertEquals("/api/v5/trade/orders-history?instType=SPOT&state=filled&begin=1&end=2", ex.take().getTarget());
            ex.ok("");
            c.trade().ordersHistoryArchive().instId("ETH-USDT").execute();
            assertEquals("/api/v5/trade/orders-history-archive?instType=SPOT&instId=ETH-USDT", ex.take().getTarget());

            ex.ok("{\"instType\":\"SPOT\",\"instId\":\"BTC-USDT\",\"tradeId\":\"123\",\"ordId\":\"456\",\"clOrdId\":\"\","
                    + "\"billId\":\"123\",\"fillPx\":\"59000\",\"fillSz\":\"0.004\",\"side\":\"buy\",\"execType\":\"M\","
                    + "\"fee\":\"-0.0000032\",\"feeCcy\":\"BTC\",\"ts\":\"1\",\"fillTime\":\"1\"}");
            Fill f = c.trade().fills().ordId("456").execute().getFirst();
            assertEquals("M", f.execType());
            assertEquals(new BigDecimal("0.004"), f.fillSz());
            assertEquals("/api/v5/trade/fills?instType=SPOT&ordId=456", ex.take().getTarget());
            ex.ok("");
            c.trade().fillsHistory().limit(5).execute();
            assertEquals("/api/v5/trade/fills-history?instType=SPOT&limit=5", ex.take().getTarget());

            ex.ok("{\"ordId\":\"9\",\"clOrdId\":\"\",\"reqId\":\"r1\",\"ts\":\"1\",\"sCode\":\"0\",\"sMsg\":\"\"}");
            OrderAck amended = c.trade().amendOrder().instId("BTC-USDT").ordId("9").newPx("59100").reqId("r1").execute();
            assertEquals("r1", amended.reqId());
            RecordedRequest amend = ex.take();
            assertEquals("/api/v5/trade/amend-order", amend.getTarget());
            assertEquals("{\"instId\":\"BTC-USDT\",\"ordId\":\"9\",\"reqId\":\"r1\",\"newPx\":\"59100\"}",
                    amend.getBody().utf8());

            ex.ok("{\"ordId\":\"9\",\"sCode\":\"0\"}");
            c.trade().amendBatchOrders().add(AmendRequest.byClOrdId("BTC-USDT", "c1").withNewSz(new BigDecimal("0.5")))
                    .execute();
            assertEquals("[{\"instId\":\"BTC-USDT\",\"clOrdId\":\"c1\",\"newSz\":\"0.5\"}]", ex.take().getBody().utf8());

            ex.ok("{\"ordId\":\"9\",\"clOrdId\":\"\",\"sCode\":\"0\",\"sMsg\":\"\"}");
            c.trade().cancelOrder().instId("BTC-USDT").ordId("9").execute();
            assertEquals("{\"instId\":\"BTC-USDT\",\"ordId\":\"9\"}", ex.take().getBody().utf8());

            ex.ok("{\"triggerTime\":\"1587971460\",\"tag\":\"\",\"ts\":\"1587971400\"}");
            CancelAllAfter dms = c.trade().cancelAllAfter().timeOut(60).execute();
            assertEquals(1587971460L, dms.triggerTime());
            assertEquals("{\"timeOut\":\"60\"}", ex.take().getBody().utf8());
        }
    }

    @Test
    void theAccountRateLimitFeedsTheGate() throws Exception {
        try (MockExchange ex = new MockExchange(); OkxClient c = ex.client()) {
            ex.ok("{\"accRateLimit\":\"2000\",\"fillRatio\":\"\",\"mainFillRatio\":\"\",\"nextAccRateLimit\":\"\","
                    + "\"ts\":\"123456789000\"}");
            AccountRateLimit l = c.trade().accountRateLimit().execute();
            assertEquals(2000, l.accRateLimit());
            assertNull(l.fillRatio());
            assertEquals(2000, c.gate().limit(Cost.ACCOUNT).limit());
            assertEquals(2_000, c.gate().limit(Cost.ACCOUNT).window().toMillis());
        }
    }

    @Test
    void accountAndAssets() throws Exception {
        try (MockExchange ex = new MockExchange(); OkxClient c = ex.client()) {
            ex.ok("{\"totalEq\":\"\",\"uTime\":\"1\",\"details\":[{\"ccy\":\"USDT\",\"eq\":\"1000000\",\"cashBal\":\"1000000\","
                    + "\"availBal\":\"999410\",\"frozenBal\":\"590\",\"ordFrozen\":\"590\",\"eqUsd\":\"\",\"uTime\":\"1\"}]}");
            AccountBalance b = c.account().balance().execute();
            assertNull(b.totalEq());
            assertEquals(new BigDecimal("590"), b.detail("USDT").orElseThrow().frozenBal());
            assertEquals("/api/v5/account/balance", ex.take().getTarget());

            ex.ok("{\"uid\":\"10000\",\"acctLv\":\"1\",\"perm\":\"read_only,trade\",\"autoLoan\":false}");
            AccountConfig cfg = c.account().config().execute();
            assertTrue(cfg.canTrade());
            assertFalse(cfg.canWithdraw());

            ex.ok("{\"chain\":\"BTC-Bitcoin\",\"ccy\":\"BTC\",\"to\":\"6\",\"addr\":\"sim1abc\",\"selected\":true}");
            DepositAddress a = c.asset().depositAddress().ccy("BTC").execute().getFirst();
            assertEquals("sim1abc", a.addr());
            assertEquals("/api/v5/account/config", ex.take().getTarget());
            assertEquals("/api/v5/asset/deposit-address?ccy=BTC", ex.take().getTarget());

            ex.ok("{\"amt\":\"0.1\",\"wdId\":\"67485\",\"ccy\":\"BTC\",\"clientId\":\"w1\",\"chain\":\"BTC-Bitcoin\"}");
            WithdrawalAck w = c.asset().withdrawal().ccy("BTC").amt("0.1").toAddr("sim1dest").clientId("w1").execute();
            assertEquals("67485", w.wdId());
            assertEquals("{\"ccy\":\"BTC\",\"amt\":\"0.1\",\"dest\":\"4\",\"toAddr\":\"sim1dest\",\"clientId\":\"w1\"}",
                    ex.take().getBody().utf8());

            ex.ok("{\"wdId\":\"67485\"}");
            assertEquals("67485", c.asset().cancelWithdrawal().wdId("67485").execute());
            assertEquals("{\"wdId\":\"67485\"}", ex.take().getBody().utf8());

            ex.ok("{\"wdId\":\"67485\",\"clientId\":\"w1\",\"ccy\":\"BTC\",\"amt\":\"0.1\",\"fee\":\"0.0001\",\"state\":\"-2\","
                    + "\"ts\":\"1\",\"nonTradableAsset\":false}");
            WithdrawalRecord r = c.asset().withdrawalHistory().clientId("w1").execute().getFirst();
            assertEquals("-2", r.state());
            assertEquals(new BigDecimal("0.0001"), r.fee());
            assertEquals("/api/v5/asset/withdrawal-history?clientId=w1", ex.take().getTarget());

            ex.ok("");
            c.asset().depositHistory().ccy("BTC").state("2").limit(10).execute();
            assertEquals("/api/v5/asset/deposit-history?ccy=BTC&state=2&limit=10", ex.take().getTarget());
            ex.ok("{\"ccy\":\"BTC\",\"bal\":\"10\",\"availBal\":\"9\",\"frozenBal\":\"1\"}");
            assertEquals(new BigDecimal("9"), c.asset().balances().ccy("BTC").execute().getFirst().availBal());
            ex.take();
            ex.ok("{\"ccy\":\"BTC\",\"chain\":\"BTC-BTC\",\"canDep\":true,\"canWd\":false,\"minWd\":\"0.0001\",\"fee\":\"\"}");
            assertTrue(c.asset().currencies().execute().getFirst().canDep());
            assertEquals("/api/v5/asset/currencies", ex.take().getTarget());
        }
    }
}
