package dev.bourse.bench.drills;

import dev.bourse.bench.cli.CliArgs.UsageException;
import dev.bourse.bench.load.Market;
import dev.bourse.client.OkxClient;
import dev.bourse.client.auth.Credentials;
import dev.bourse.client.rest.trade.BatchOrdersService;
import dev.bourse.client.rest.trade.OrderRequest;
import dev.bourse.client.rest.trade.OrderType;
import dev.bourse.client.rest.trade.Side;
import dev.bourse.client.ws.ChannelArg;
import dev.bourse.client.ws.Delivery;
import dev.bourse.client.ws.OkxWebSocket;
import dev.bourse.client.ws.QueuePolicy;
import dev.bourse.client.ws.WsChannel;
import dev.bourse.client.ws.WsStats;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runbook §7 "handler backlog drill": a public WebSocket whose typed handler for {@code books} and {@code trades}
 * sleeps on every push, delivered through a small queue ({@code Delivery.async(capacity, policy)}), under a burst
 * of trading (asks placed, then taken one by one). For each policy the queue fills and the policy does what it
 * says, visible in {@code stats()}:
 * <ul>
 *   <li>{@code BLOCK}: the queue reaches its capacity, nothing is dropped, the handler sees every push, and the
 *   socket's reader is held back (it receives the burst over at least the time the handler needs for it);</li>
 *   <li>{@code DROP}: pushes are dropped and counted ({@code typedDropped}), the connection stays up, and handled
 *   plus dropped equals received;</li>
 *   <li>{@code DISCONNECT}: the client drops the connection ({@code lastError} "handler queue full"), reconnects
 *   and resubscribes ({@code reconnects}, {@code subscribeOk}).</li>
 * </ul>
 */
public final class SlowHandlerDrill implements Drill {
    private static final Duration WAIT = Duration.ofSeconds(10);

    public static void main(String[] args) {
        Drill.main(new SlowHandlerDrill(), args);
    }

    @Override
    public String name() {
        return "slow-handler";
    }

    @Override
    public String proves() {
        return "a slow handler fills its bounded queue and the configured policy (block, drop, disconnect) acts, "
                + "as stats() shows";
    }

    @Override
    public Set<String> options() {
        return Set.of("policies", "capacity", "handler-ms", "burst");
    }

    @Override
    public String optionsUsage() {
        return """
                slow-handler options
                  --policies LIST        which policies to drill (default BLOCK,DROP,DISCONNECT)
                  --capacity N           the typed handler queue (default 4)
                  --handler-ms N         how long the handler sleeps per push (default 20)
                  --burst N              asks placed and then taken per policy (default 30)
                """;
    }

    @Override
    public void run(DrillContext ctx, DrillReport r) throws Exception {
        List<QueuePolicy> policies = new ArrayList<>();
        for (String p : ctx.args().all("policies").isEmpty() ? List.of("BLOCK", "DROP", "DISCONNECT")
                : ctx.args().all("policies")) {
            try {
                policies.add(QueuePolicy.valueOf(p.toUpperCase()));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--policies: " + p + " is not BLOCK, DROP or DISCONNECT");
            }
        }
        int capacity = ctx.args().integer("capacity", 4, 1, 10_000);
        int handlerMs = ctx.args().integer("handler-ms", 20, 1, 10_000);
        int burst = ctx.args().integer("burst", 30, 5, 200);
        List<Credentials> keys = ctx.traders(2);
        OkxClient maker = ctx.client(keys.get(0));
        OkxClient taker = ctx.client(keys.get(1));
        maker.syncTime();
        ExecutorService pool = ctx.closeLater(Executors.newFixedThreadPool(8));
        for (QueuePolicy policy : policies) {
            drill(ctx, r, policy, capacity, handlerMs, burst, maker, taker, pool);
        }
    }

    private void drill(DrillContext ctx, DrillReport r, QueuePolicy policy, int capacity, int handlerMs, int burst,
                       OkxClient maker, OkxClient taker, ExecutorService pool) throws Exception {
        Market m = ctx.market(maker);
        String inst = m.instId();
        AtomicLong received = new AtomicLong();
        AtomicLong handled = new AtomicLong();
        AtomicLong firstRecv = new AtomicLong();
        AtomicLong lastRecv = new AtomicLong();
        AtomicInteger maxQueue = new AtomicInteger();
        OkxWebSocket ws = ctx.ws(ctx.wsUrl("/ws/v5/public"), w -> w.typedDelivery(Delivery.async(capacity, policy))
                .rawDelivery(Delivery.inline()).reconnectBackoff(Duration.ofMillis(200), Duration.ofSeconds(1))
                .name("drill-slow-" + policy.name().toLowerCase()));
        // the raw handler runs on the socket's reader thread: it counts what arrives, before the typed queue
        ws.onRaw(msg -> {
            String ch = msg.json().path("arg").path("channel").asText("");
            if (msg.json().has("data") && (ch.equals("books") || ch.equals("trades"))) {
                long now = System.nanoTime();
                firstRecv.compareAndSet(0, now);
                lastRecv.set(now);
                received.incrementAndGet();
            }
        });
        ws.on(WsChannel.BOOKS, p -> slow(handled, handlerMs));
        ws.on(WsChannel.TRADES, p -> slow(handled, handlerMs));
        ws.connect(WAIT);
        ws.subscribeAndWait(WAIT, ChannelArg.of("books", inst), ChannelArg.of("trades", inst));
        Waits.until(WAIT, () -> ws.stats().typedQueueLen() == 0 && received.get() == handled.get());
        long received0 = received.get();
        long handled0 = handled.get();
        firstRecv.set(0);
        WsStats s0 = ws.stats();

        Thread sampler = Thread.ofVirtual().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                maxQueue.accumulateAndGet(ws.stats().typedQueueLen(), Math::max);
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });

        // the burst: asks one tick apart, then one ioc buy per ask, sent at once
        BigDecimal sz = m.sizeFor(new BigDecimal("50"));
        List<BigDecimal> prices = new ArrayList<>();
        for (int from = 0; from < burst; from += 20) {
            BatchOrdersService batch = maker.trade().batchOrders();
            for (int i = from; i < Math.min(burst, from + 20); i++) {
                BigDecimal px = m.priceAway(20).add(m.tickSz().multiply(BigDecimal.valueOf(i)));
                prices.add(px);
                batch.add(OrderRequest.of(inst, Side.SELL, OrderType.POST_ONLY, px, sz)
                        .withClOrdId(maker.trade().clOrdIds().next()));
            }
            batch.execute();
        }
        List<Future<?>> takes = new ArrayList<>();
        for (BigDecimal px : prices) {
            takes.add(pool.submit(() -> taker.trade().placeOrder().order(OrderRequest.of(inst, Side.BUY, OrderType.IOC,
                    px, sz).withClOrdId(taker.trade().clOrdIds().next())).execute()));
        }
        for (Future<?> f : takes) {
            f.get();
        }
        // quiet: nothing new for half a second and the queue drained (or dropped)
        long[] seen = {-1};
        long[] stableSince = {System.nanoTime()};
        Waits.until(Duration.ofSeconds(30), () -> {
            long now = received.get() + handled.get();
            if (now != seen[0]) {
                seen[0] = now;
                stableSince[0] = System.nanoTime();
                return false;
            }
            return System.nanoTime() - stableSince[0] > 500_000_000L && ws.stats().typedQueueLen() == 0;
        });
        sampler.interrupt();
        sampler.join();
        if (policy == QueuePolicy.DISCONNECT) {
            Waits.until(WAIT, ws::isReady);
        }
        WsStats s = ws.stats();
        long got = received.get() - received0;
        long done = handled.get() - handled0;
        long dropped = s.typedDropped() - s0.typedDropped();
        long spanMs = firstRecv.get() == 0 ? 0 : (lastRecv.get() - firstRecv.get()) / 1_000_000;
        r.evidence("%s (queue %d, handler %d ms): burst of %d asks taken one by one; received %d books/trades "
                        + "pushes over %d ms, handled %d, dropped %d, max queue %d/%d, reconnects %d, subscribeOk "
                        + "%d -> %d, lastError %s", policy, capacity, handlerMs, prices.size(), got, spanMs, done,
                dropped, maxQueue.get(), s.typedQueueCap(), s.reconnects() - s0.reconnects(), s0.subscribeOk(),
                s.subscribeOk(), s.lastError());
        r.check(maxQueue.get() >= capacity || dropped > 0, "%s: the queue filled (max %d of %d)", policy,
                maxQueue.get(), capacity);
        switch (policy) {
            case BLOCK -> {
                long minSpan = (got - capacity - 1) * handlerMs * 8 / 10;
                r.check(dropped == 0 && done == got, "BLOCK: nothing lost (handled %d of %d, dropped %d)", done, got,
                        dropped);
                r.check(spanMs >= minSpan, "BLOCK: the reader was held back: the burst took %d ms to read, "
                        + ">= %d ms of handler time", spanMs, minSpan);
            }
            case DROP -> {
                r.check(dropped > 0 && done + dropped == got, "DROP: pushes dropped and counted (handled %d + "
                        + "dropped %d = received %d)", done, dropped, got);
                r.check(s.reconnects() == s0.reconnects() && s.connected(), "DROP: the connection stayed up");
            }
            case DISCONNECT -> {
                r.check(s.reconnects() > s0.reconnects() && s.lastError() != null
                        && s.lastError().contains("handler queue full"), "DISCONNECT: the client disconnected "
                        + "(lastError \"%s\") and reconnected", s.lastError());
                r.check(s.connected() && s.subscribeOk() >= s0.subscribeOk() + 2, "DISCONNECT: resubscribed "
                        + "after the reconnect (subscribeOk %d -> %d)", s0.subscribeOk(), s.subscribeOk());
            }
        }
        ws.close();
        // an ioc may have taken a cheaper ask than its own when the buys overtook each other: clear what is left
        DrillContext.cancelAll(maker, inst);
    }

    private static void slow(AtomicLong handled, int millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        handled.incrementAndGet();
    }
}
