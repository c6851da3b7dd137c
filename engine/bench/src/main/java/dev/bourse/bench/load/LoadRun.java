package dev.bourse.bench.load;

import dev.bourse.bench.exchange.BourseAdmin;
import dev.bourse.bench.exchange.ExchangeTokens;
import dev.bourse.bench.exchange.TraderAccount;
import dev.bourse.bench.exchange.TraderAccounts;
import dev.bourse.client.ClientConfig;
import dev.bourse.client.OkxClient;
import dev.bourse.client.auth.ServerClock;
import dev.bourse.client.rest.RestStats;
import dev.bourse.client.rest.RetryPolicy;
import dev.bourse.client.rest.gate.GateConfig;
import dev.bourse.client.rest.gate.RouteLimit;
import dev.bourse.client.rest.market.OrderBook;
import dev.bourse.client.rest.market.Ticker;
import dev.bourse.client.rest.publicdata.Instrument;
import dev.bourse.client.ws.ChannelArg;
import dev.bourse.client.ws.Delivery;
import dev.bourse.client.ws.OkxWebSocket;
import dev.bourse.client.ws.WsChannel;
import dev.bourse.client.ws.WsConfig;
import dev.bourse.client.ws.WsPush;
import dev.bourse.client.ws.WsStats;
import dev.bourse.client.ws.model.OrderUpdate;
import dev.bourse.client.ws.model.Trade;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * One load run against a Bourse: sets up the traders (users, deposits, API keys through the operator APIs),
 * connects them (a REST client and a private WebSocket each, one public WebSocket for {@code trades}), drives the
 * open-loop schedule through the warm-up and the measured period, waits for the last answers, cancels what the
 * traders left resting, and writes the report.
 */
public final class LoadRun {
    private static final Duration CONNECT = Duration.ofSeconds(15);
    /** A trader behind its schedule keeps sending this long after the end, then counts the rest as unsent. */
    private static final long LATE_GRACE_NANOS = 1_000_000_000L;

    private final LoadOptions o;
    private final PrintStream log;
    private final LoadRecorder rec = new LoadRecorder();
    private final ServerClock clock = new ServerClock();
    private final Set<Pending> outstanding = ConcurrentHashMap.newKeySet();
    /** Fills and trade pushes count from this instant (nanoTime) until {@link #stopped}. */
    private volatile long recordFrom = Long.MAX_VALUE;
    private volatile boolean stopped;

    /** A request that is out, with its due time; {@code settled} once its answer (or the drain) is recorded. */
    private record Pending(Trader trader, TraderOp op, long due, boolean measured, AtomicBoolean settled) {
    }

    /** The report and where it was written. */
    public record Result(LoadReport report, Path html) {
    }

    public LoadRun(LoadOptions o, PrintStream log) {
        this.o = o;
        this.log = log;
    }

    public Result run() throws Exception {
        ExchangeTokens tokens = ExchangeTokens.resolve(o.internalToken(), o.adminToken(), o.secrets(), System.getenv());
        if (!tokens.complete()) {
            throw new IllegalArgumentException("setting up traders needs INTERNAL_TOKEN and ADMIN_TOKEN (" + tokens
                    + "): pass --secrets data/dev-secrets.properties, --internal-token/--admin-token, or set them in "
                    + "the environment");
        }
        List<Trader> traders = new ArrayList<>();
        // one okhttp client for every WebSocket; each open socket holds one of its dispatcher's running calls (the
        // reader loop), so the dispatcher must allow one per trader plus the public socket
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(o.traders() + 16);
        dispatcher.setMaxRequestsPerHost(o.traders() + 16);
        OkHttpClient wsHttp = new OkHttpClient.Builder().dispatcher(dispatcher).readTimeout(Duration.ZERO)
                .connectTimeout(Duration.ofSeconds(10)).build();
        OkxWebSocket pub = null;
        try (BourseAdmin admin = new BourseAdmin(o.url(), tokens);
             OkxClient publicClient = OkxClient.create(ClientConfig.builder().baseUrl(o.url()).clock(clock).build());
             ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor()) {
            publicClient.syncTime();
            List<Market> markets = markets(publicClient);
            log.printf("load: %s, markets %s%n", o.url(), markets.stream().map(m -> m.instId() + "@" + m.mid().toPlainString()).toList());

            long setupStart = System.nanoTime();
            List<String> names = new ArrayList<>();
            for (int i = 0; i < o.traders(); i++) {
                names.add(i < o.makers() ? String.format("%s-m%03d", o.userPrefix(), i)
                        : String.format("%s-t%03d", o.userPrefix(), i - o.makers()));
            }
            String runTag = Long.toString(System.currentTimeMillis(), 36);
            List<TraderAccount> accounts = new TraderAccounts(admin).createAll(names, funding(markets), runTag,
                    o.setupParallelism());
            for (TraderAccount a : accounts) {
                admin.massCancel(a.userId(), null); // orders a previous run under the same names left resting
            }
            for (int i = 0; i < accounts.size(); i++) {
                traders.add(new Trader(i, i < o.makers() ? Trader.Role.MAKER : Trader.Role.TAKER, accounts.get(i),
                        markets, o));
            }
            connect(traders, wsHttp, requests);
            pub = new OkxWebSocket(WsConfig.builder(wsUrl("/ws/v5/public")).httpClient(wsHttp).clock(clock)
                    .typedDelivery(Delivery.inline()).rawDelivery(Delivery.inline()).name("load-public").build());
            pub.on(WsChannel.TRADES, this::onTrades);
            pub.connect(CONNECT);
            pub.subscribeAndWait(CONNECT, markets.stream().map(m -> ChannelArg.of("trades", m.instId())).toList());
            log.printf("load: %d traders (%d makers, %d takers) ready in %.1f s; %s entry, %s/s for %d s after %d s warm-up%n",
                    traders.size(), o.makers(), o.takers(), (System.nanoTime() - setupStart) / 1e9, o.entry().label(),
                    o.rate(), o.duration().toSeconds(), o.warmup().toSeconds());

            drive(traders);

            Map<String, Object> clients = clientCounters(traders, pub);
            if (!o.keepOrders()) {
                for (Trader t : traders) {
                    admin.massCancel(t.account.userId(), null);
                }
            }
            Map<String, Object> plan = o.plan();
            plan.put("symbols", markets.stream().map(m -> m.instId() + " mid " + m.mid().toPlainString()).toList());
            LoadReport report = new LoadReport(plan, o.duration().toMillis() / 1000.0, rec, clients);
            Path html = report.write(o.out());
            return new Result(report, html);
        } finally {
            for (Trader t : traders) {
                if (t.ws != null) {
                    t.ws.close();
                }
                if (t.rest != null) {
                    t.rest.close();
                }
            }
            if (pub != null) {
                pub.close();
            }
            wsHttp.dispatcher().executorService().shutdown();
            wsHttp.connectionPool().evictAll();
        }
    }

    // ------------------------------------------------------------------------------------ set-up

    private List<Market> markets(OkxClient c) {
        List<Instrument> listed = c.publicData().instruments().execute();
        List<String> wanted = o.symbols().isEmpty()
                ? listed.stream().filter(Instrument::live).map(Instrument::instId).toList() : o.symbols();
        if (wanted.isEmpty()) {
            throw new IllegalStateException("the exchange lists no live SPOT instrument");
        }
        List<Market> out = new ArrayList<>();
        for (String id : wanted) {
            Instrument i = listed.stream().filter(x -> x.instId().equals(id)).findFirst().orElseThrow(() ->
                    new IllegalArgumentException("--symbols: " + id + " is not listed; listed: "
                            + listed.stream().map(Instrument::instId).toList()));
            out.add(new Market(id, i.baseCcy(), i.quoteCcy(), i.tickSz(), i.lotSz(), i.minSz(), mid(c, id)));
        }
        return out;
    }

    private BigDecimal mid(OkxClient c, String instId) {
        BigDecimal given = o.mids().get(instId);
        if (given != null) {
            return given;
        }
        Ticker t = c.market().ticker().instId(instId).execute();
        if (t.last() != null && t.last().signum() > 0) {
            return t.last();
        }
        OrderBook b = c.market().books().instId(instId).sz(1).execute();
        if (!b.bids().isEmpty() && !b.asks().isEmpty()) {
            return b.bids().getFirst().px().add(b.asks().getFirst().px()).divide(BigDecimal.TWO);
        }
        throw new IllegalArgumentException(instId + " has no last trade and no two-sided book to quote around: pass "
                + "--mid " + instId + "=PRICE (within the instrument's price band)");
    }

    /** Per currency: {@code fund} of each quote currency, and base currency worth {@code fund} at the mid. */
    private Map<String, BigDecimal> funding(List<Market> markets) {
        Map<String, BigDecimal> f = new LinkedHashMap<>();
        for (Market m : markets) {
            f.merge(m.quoteCcy(), o.fund(), BigDecimal::max);
            f.merge(m.baseCcy(), o.fund().divide(m.mid(), 0, RoundingMode.CEILING), BigDecimal::max);
        }
        return f;
    }

    private void connect(List<Trader> traders, OkHttpClient wsHttp, ExecutorService requests) throws Exception {
        GateConfig gate = gateConfig();
        List<Future<?>> f = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(Math.min(8, traders.size()))) {
            for (Trader t : traders) {
                f.add(pool.submit(() -> {
                    t.rest = OkxClient.create(ClientConfig.builder().baseUrl(o.url())
                            .credentials(t.account.credentials()).clock(clock).gate(gate).retry(RetryPolicy.none())
                            .requestTimeout(o.timeout()).build());
                    t.ws = new OkxWebSocket(WsConfig.builder(wsUrl("/ws/v5/private"))
                            .credentials(t.account.credentials()).clock(clock).httpClient(wsHttp)
                            .typedDelivery(Delivery.inline()).rawDelivery(Delivery.inline())
                            .requestTimeout(o.timeout()).name(t.name()).build());
                    t.ws.on(WsChannel.ORDERS, push -> onOrders(t, push));
                    t.ws.connect(CONNECT);
                    t.ws.subscribeAndWait(CONNECT, ChannelArg.orders("SPOT"));
                    t.entry = o.entry() == LoadOptions.Entry.WS ? new WsOrderEntry(t.ws)
                            : new RestOrderEntry(t.rest, requests);
                    return null;
                }));
            }
            for (Future<?> x : f) {
                x.get();
            }
        }
    }

    private GateConfig gateConfig() {
        if (!o.gate()) {
            return GateConfig.builder().maxConcurrent(0).routeBudgets(false).build();
        }
        GateConfig.Builder b = GateConfig.builder().maxConcurrent(o.maxConcurrent());
        for (RouteLimit r : o.routeLimits()) {
            b.routeLimit(r.rule(), r.limit(), r.window());
        }
        return b.build();
    }

    private String wsUrl(String path) {
        return o.url().replaceFirst("^http", "ws") + path;
    }

    // ------------------------------------------------------------------------------------ the run

    private void drive(List<Trader> traders) throws InterruptedException {
        OpenLoopSchedule schedule = new OpenLoopSchedule(o.rate(), traders.size());
        long t0 = System.nanoTime() + 200_000_000L;
        long measureStart = t0 + o.warmup().toNanos();
        long end = measureStart + o.duration().toNanos();
        // the recorder needs no reset at measureStart (one timed by a sleep raced with the first measured answers):
        // only requests due from then on are measured, and fills and trade pushes count from then on
        recordFrom = measureStart;
        List<Thread> drivers = new ArrayList<>();
        for (Trader t : traders) {
            drivers.add(Thread.ofVirtual().name("driver-" + t.name()).start(() -> driveOne(t, schedule, t0, measureStart,
                    end)));
        }
        sleepUntil(measureStart);
        for (int s = 1; s <= o.duration().toSeconds(); s++) {
            sleepUntil(measureStart + s * 1_000_000_000L);
            rec.tick(s - 1);
        }
        sleepUntil(end);
        for (Thread d : drivers) {
            d.join();
        }
        // the drain: the last answers, then the pushes for the orders they placed
        long drainEnd = System.nanoTime() + o.timeout().toNanos() + 2_000_000_000L;
        while (!outstanding.isEmpty() && System.nanoTime() < drainEnd) {
            Thread.sleep(10);
        }
        for (Pending p : outstanding) {
            if (p.settled().compareAndSet(false, true)) {
                rec.failed(p.op().label(), "no answer before the end of the drain");
                if (p.op() instanceof TraderOp.Place pl) {
                    p.trader().awaitingPush.remove(pl.clOrdId());
                }
            }
        }
        outstanding.clear();
        long pushEnd = System.nanoTime() + 2_000_000_000L;
        while (traders.stream().anyMatch(t -> !t.awaitingPush.isEmpty()) && System.nanoTime() < pushEnd) {
            Thread.sleep(10);
        }
        stopped = true;
        rec.tick(o.duration().toSeconds());
    }

    private void driveOne(Trader t, OpenLoopSchedule schedule, long t0, long measureStart, long end) {
        for (long k = 0; ; k++) {
            long due = t0 + schedule.dueNanos(t.index, k);
            if (due >= end) {
                return;
            }
            sleepUntil(due);
            t.inflight.acquireUninterruptibly();
            long now = System.nanoTime();
            if (due < measureStart && now >= measureStart) {
                // still behind with warm-up requests when the measurement starts: drop them (they would not be
                // measured) so that the measured period begins on schedule; what they left in flight still counts
                t.inflight.release();
                k = schedule.dueBefore(t.index, measureStart - t0) - 1;
                continue;
            }
            boolean measured = due >= measureStart;
            if (now >= end + LATE_GRACE_NANOS) {
                // the schedule is over but this trader is behind it (its in-flight window stayed full): what it
                // could not send counts as failed, so a stalled exchange cannot hide behind a shorter run
                t.inflight.release();
                long missed = schedule.dueBefore(t.index, end - t0) - Math.max(k, schedule.dueBefore(t.index,
                        measureStart - t0));
                for (long i = 0; i < missed; i++) {
                    rec.failed("unsent", "not sent before the end: in-flight window full (--max-inflight)");
                }
                return;
            }
            TraderOp op;
            try {
                op = t.next();
            } catch (RuntimeException e) {
                t.inflight.release();
                if (measured) {
                    rec.failed("unsent", "generator error: " + e);
                }
                continue;
            }
            Pending p = new Pending(t, op, due, measured, new AtomicBoolean());
            if (measured) {
                rec.sent(op.label());
                rec.lagged((now - due) / 1000);
                outstanding.add(p);
                if (op instanceof TraderOp.Place pl) {
                    t.awaitingPush.put(pl.clOrdId(), now);
                }
            }
            t.entry.send(op).whenComplete((a, err) -> {
                t.inflight.release();
                settle(p, a != null ? a : Answer.failed("generator " + err));
            });
        }
    }

    private void settle(Pending p, Answer a) {
        Trader t = p.trader();
        boolean ok = a.outcome() == Answer.Outcome.ACCEPTED;
        switch (p.op()) {
            case TraderOp.Place pl -> {
                if (ok) {
                    t.tracker.accepted(pl.tracked(), a.ordId());
                } else {
                    t.tracker.notPlaced(pl.tracked());
                    t.awaitingPush.remove(pl.clOrdId());
                }
            }
            case TraderOp.Cancel c -> {
                if (ok) {
                    t.tracker.canceled(c.order());
                } else {
                    t.tracker.settled(c.order(), a.orderGone(), null);
                }
            }
            case TraderOp.Amend am -> t.tracker.settled(am.order(), a.orderGone(), ok ? am.newPx() : null);
        }
        if (!p.measured() || !p.settled().compareAndSet(false, true)) {
            return;
        }
        long micros = (System.nanoTime() - p.due()) / 1000;
        switch (a.outcome()) {
            case ACCEPTED -> rec.accepted(p.op().label(), micros);
            case REJECTED -> rec.rejected(p.op().label(), a.code(), a.msg(), micros);
            case FAILED -> rec.failed(p.op().label(), a.failure());
        }
        // only once the answer is counted: the drain ends when nothing is outstanding and the report is read then
        outstanding.remove(p);
    }

    private void onOrders(Trader t, WsPush<OrderUpdate> push) {
        long now = System.nanoTime();
        for (OrderUpdate u : push.data()) {
            if (u.clOrdId() != null && !u.clOrdId().isEmpty()) {
                Long sent = t.awaitingPush.remove(u.clOrdId());
                if (sent != null) {
                    rec.pushed(LoadRecorder.Push.ORDERS, (now - sent) / 1000);
                }
                t.tracker.pushed(u.clOrdId(), u.ordId(), u.state());
            }
            if (recording() && u.fillSz() != null && u.fillSz().signum() > 0) {
                rec.filled(1);
            }
        }
    }

    private void onTrades(WsPush<Trade> push) {
        if (!recording()) {
            return;
        }
        long now = clock.now().toEpochMilli();
        for (Trade tr : push.data()) {
            rec.pushed(LoadRecorder.Push.TRADES, Math.max(0, now - tr.ts()) * 1000);
        }
    }

    private boolean recording() {
        return !stopped && System.nanoTime() >= recordFrom;
    }

    private static void sleepUntil(long nanoTime) {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
        }
    }

    // ------------------------------------------------------------------------------------ counters

    private Map<String, Object> clientCounters(List<Trader> traders, OkxWebSocket pub) {
        long calls = 0, apiErrors = 0, notSent = 0, unknown = 0, rateLimited = 0, waited = 0, gateRejected = 0,
                backoffs = 0;
        long reconnects = 0, handlerErrors = 0, dropped = 0, subscribeErrors = 0, missingPushes = 0;
        for (Trader t : traders) {
            RestStats r = t.rest.stats();
            calls += r.calls();
            apiErrors += r.apiErrors();
            notSent += r.notSent();
            unknown += r.unknown();
            rateLimited += r.rateLimited();
            waited += r.gate().waited();
            gateRejected += r.gate().rejected();
            backoffs += r.gate().backoffs();
            WsStats w = t.ws.stats();
            reconnects += w.reconnects();
            handlerErrors += w.handlerErrors();
            dropped += w.typedDropped() + w.rawDropped();
            subscribeErrors += w.subscribeError();
            missingPushes += t.awaitingPush.size();
        }
        Map<String, Object> rest = new LinkedHashMap<>();
        rest.put("calls", calls);
        rest.put("apiErrors", apiErrors);
        rest.put("notSent", notSent);
        rest.put("outcomeUnknown", unknown);
        rest.put("rateLimited", rateLimited);
        rest.put("gateWaited", waited);
        rest.put("gateRejected", gateRejected);
        rest.put("gateBackoffs", backoffs);
        WsStats p = pub.stats();
        Map<String, Object> ws = new LinkedHashMap<>();
        ws.put("privateReconnects", reconnects);
        ws.put("privateHandlerErrors", handlerErrors);
        ws.put("privateDropped", dropped);
        ws.put("privateSubscribeErrors", subscribeErrors);
        ws.put("publicReconnects", p.reconnects());
        ws.put("publicHandlerErrors", p.handlerErrors());
        ws.put("ordersPushesMissing", missingPushes);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rest", rest);
        out.put("ws", ws);
        return out;
    }
}
