package dev.bourse.bench.drills;

import dev.bourse.bench.load.Market;
import dev.bourse.client.OkxClient;
import dev.bourse.client.auth.Credentials;
import dev.bourse.client.rest.trade.BatchOrdersService;
import dev.bourse.client.rest.trade.CancelRequest;
import dev.bourse.client.rest.trade.Order;
import dev.bourse.client.rest.trade.OrderAck;
import dev.bourse.client.rest.trade.OrderRequest;
import dev.bourse.client.rest.trade.OrderType;
import dev.bourse.client.rest.trade.Side;
import dev.bourse.client.ws.ChannelArg;
import dev.bourse.client.ws.OkxWebSocket;
import dev.bourse.client.ws.WsChannel;
import dev.bourse.client.ws.WsStats;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runbook §7 "WS network loss drill": a trader's private ({@code orders}) and public ({@code trades},
 * {@code tickers}) WebSockets run through a {@link FaultProxy}; it rests ten asks, then the network is cut for a
 * few seconds. Meanwhile, over REST, another process with the same key cancels three of them and a counterparty
 * fills four and part of a fifth — changes whose pushes the trader never gets. PASS when both sockets reconnect and
 * resubscribe by themselves (reconnects, subscribeOk), the local state built from the channel is reconciled over
 * REST ({@code orders-pending}, then {@code trade/order} for what disappeared) and then equals the exchange's, order
 * by order (state and filled size), and pushes flow again on the new connection.
 */
public final class WsNetworkLossDrill implements Drill {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int ORDERS = 10;

    public static void main(String[] args) {
        Drill.main(new WsNetworkLossDrill(), args);
    }

    @Override
    public String name() {
        return "ws-network-loss";
    }

    @Override
    public String proves() {
        return "after a network loss the WebSockets reconnect and resubscribe, and REST reconciliation restores the "
                + "exact order state";
    }

    @Override
    public Set<String> options() {
        return Set.of("cut");
    }

    @Override
    public String optionsUsage() {
        return """
                ws-network-loss options
                  --cut D                how long the network stays down (default 3s)
                """;
    }

    @Override
    public void run(DrillContext ctx, DrillReport r) throws Exception {
        Duration cut = ctx.args().duration("cut", Duration.ofSeconds(3));
        List<Credentials> keys = ctx.traders(2);
        OkxClient a = ctx.client(keys.get(0));
        OkxClient b = ctx.client(keys.get(1));
        a.syncTime();
        Market m = ctx.market(a);
        String inst = m.instId();
        FaultProxy proxy = ctx.closeLater(new FaultProxy(ctx.host(), ctx.port()));
        String via = "ws://127.0.0.1:" + proxy.port();

        LocalOrders local = new LocalOrders();
        AtomicLong trades = new AtomicLong();
        OkxWebSocket priv = ctx.ws(via + "/ws/v5/private", w -> w.credentials(keys.get(0))
                .reconnectBackoff(Duration.ofMillis(200), Duration.ofSeconds(1)).name("drill-private"));
        priv.on(WsChannel.ORDERS, p -> p.data().forEach(local::apply));
        OkxWebSocket pub = ctx.ws(via + "/ws/v5/public", w -> w
                .reconnectBackoff(Duration.ofMillis(200), Duration.ofSeconds(1)).name("drill-public"));
        pub.on(WsChannel.TRADES, p -> trades.addAndGet(p.data().size()));
        priv.connect(WAIT);
        priv.subscribeAndWait(WAIT, ChannelArg.orders("SPOT", inst));
        pub.connect(WAIT);
        pub.subscribeAndWait(WAIT, ChannelArg.of("trades", inst), ChannelArg.of("tickers", inst));
        WsStats priv0 = priv.stats();
        WsStats pub0 = pub.stats();

        // ten asks, 1 % above the price and one tick apart
        BigDecimal sz = m.sizeFor(new BigDecimal("100"));
        BatchOrdersService batch = a.trade().batchOrders();
        List<BigDecimal> prices = new ArrayList<>();
        for (int i = 0; i < ORDERS; i++) {
            BigDecimal px = m.priceAway(100).add(m.tickSz().multiply(BigDecimal.valueOf(i)));
            prices.add(px);
            batch.add(OrderRequest.limit(inst, Side.SELL, px, sz).withClOrdId(a.trade().clOrdIds().next()));
        }
        List<String> ids = batch.execute().stream().map(OrderAck::ordId).toList();
        boolean pushed = Waits.until(WAIT, () -> ids.stream().allMatch(id -> local.get(id) != null
                && local.get(id).live()));
        r.evidence("placed %d asks %s..%s x %s through REST; the orders channel reported %d live", ORDERS,
                prices.getFirst().toPlainString(), prices.getLast().toPlainString(), sz.toPlainString(),
                local.live().size());
        r.check(pushed, "every ask was pushed live before the cut");

        long cutAt = System.nanoTime();
        proxy.cut(cut.toMillis());
        boolean down = Waits.until(Duration.ofSeconds(3), () -> !priv.stats().connected() && !pub.stats().connected());
        r.evidence("network cut for %d ms (both sockets dropped: %s)", cut.toMillis(), down);

        // what happens while the trader is blind: changes it does not make itself, over REST
        var cancel = a.trade().cancelBatchOrders();
        for (int i = ORDERS - 3; i < ORDERS; i++) {
            cancel.add(CancelRequest.byOrdId(inst, ids.get(i)));
        }
        cancel.execute();
        BigDecimal take = sz.multiply(new BigDecimal("4.5")).divide(m.lotSz(), 0, java.math.RoundingMode.FLOOR)
                .multiply(m.lotSz());
        OrderAck fill = b.trade().placeOrder().order(OrderRequest.of(inst, Side.BUY, OrderType.IOC, prices.get(4), take)
                .withClOrdId(b.trade().clOrdIds().next())).execute();
        r.evidence("during the cut, over REST: another process cancelled asks 8-10, a counterparty bought %s with an "
                + "ioc at %s (ordId %s)", take.toPlainString(), prices.get(4).toPlainString(), fill.ordId());

        boolean back = Waits.until(cut.plus(Duration.ofSeconds(15)), () -> priv.isReady() && pub.isReady()
                && priv.stats().subscribeOk() > priv0.subscribeOk() && pub.stats().subscribeOk() > pub0.subscribeOk());
        long downMs = (System.nanoTime() - cutAt) / 1_000_000;
        WsStats p1 = priv.stats();
        WsStats q1 = pub.stats();
        r.evidence("private: reconnects %d, subscribeOk %d -> %d, connected %s; public: reconnects %d, "
                        + "subscribeOk %d -> %d, connected %s; back after %d ms; proxy connections %d",
                p1.reconnects(), priv0.subscribeOk(), p1.subscribeOk(), p1.connected(), q1.reconnects(),
                pub0.subscribeOk(), q1.subscribeOk(), q1.connected(), downMs, proxy.connections());
        r.check(back && p1.reconnects() >= 1 && q1.reconnects() >= 1, "both sockets reconnected and resubscribed "
                + "by themselves");

        // reconciliation: REST is the source of truth
        Map<String, LocalOrders.Known> before = local.live();
        Map<String, LocalOrders.Known> server = LocalOrders.of(a.trade().ordersPending().instId(inst).execute());
        r.evidence("before reconciliation: local live %s", before);
        r.evidence("                       exchange   %s (%d differences)", server,
                LocalOrders.differences(before, server));
        int queried = 0;
        for (String id : before.keySet()) {
            if (!server.containsKey(id)) {
                local.apply(a.trade().order().instId(inst).ordId(id).execute());
                queried++;
            }
        }
        for (Order o : a.trade().ordersPending().instId(inst).execute()) {
            local.apply(o);
        }
        Map<String, LocalOrders.Known> after = local.live();
        Map<String, LocalOrders.Known> serverNow = LocalOrders.of(a.trade().ordersPending().instId(inst).execute());
        r.evidence("reconciled: %d orders looked up with trade/order; local live %s", queried, after);
        r.check(LocalOrders.same(after, serverNow), "local live orders equal orders-pending (%d orders, state and "
                + "filled size each)", serverNow.size());
        int mismatched = 0;
        StringBuilder finals = new StringBuilder();
        for (String id : ids) {
            Order o = a.trade().order().instId(inst).ordId(id).execute();
            LocalOrders.Known k = local.get(id);
            finals.append(' ').append(k);
            if (k == null || !k.sameAs(new LocalOrders.Known(o.state(), o.accFillSz(), 0))) {
                mismatched++;
            }
        }
        r.evidence("final local states of the ten asks:%s", finals);
        r.check(mismatched == 0, "each of the ten asks has the exchange's state and filled size locally "
                + "(%d differ)", mismatched);

        // the new connection carries pushes again
        OrderAck again = a.trade().placeOrder().order(OrderRequest.limit(inst, Side.SELL, prices.getLast(), sz)
                .withClOrdId(a.trade().clOrdIds().next())).execute();
        boolean flows = Waits.until(WAIT, () -> local.get(again.ordId()) != null);
        r.check(flows, "a new order is pushed on the reconnected orders channel");
        r.evidence("cleanup: cancelled %d resting orders", DrillContext.cancelAll(a, inst));
    }
}
