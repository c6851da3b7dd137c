package dev.bourse.bench.drills;

import dev.bourse.client.OkxClient;
import dev.bourse.client.auth.Credentials;
import dev.bourse.client.error.ApiException;
import dev.bourse.client.error.OkxErrors;
import dev.bourse.client.error.RequestStateException;
import dev.bourse.client.rest.RequestOptions;
import dev.bourse.client.rest.RestStats;
import dev.bourse.client.rest.RetryPolicy;
import dev.bourse.client.rest.gate.GateConfig;
import dev.bourse.client.rest.gate.GateStats;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Runbook §7 "rate-limit drill": many callers share one API key and hammer {@code GET account/balance} (the
 * exchange allows 10 per 2 s per user) through the SDK's request gate, whose budget for it is set far too high, as
 * when a second process uses the same key or the budget table is stale. So the exchange, not the gate's budget, says
 * stop. PASS when: the exchange did answer 429/50011, the gate backed off (backoffs, paused routes), the 429 answers
 * stayed a small, bounded number — about one wave of at most {@code maxConcurrent} per pause, not one per attempt —
 * and, once the budget is corrected and the storm is over, normal calls succeed again. A short run without the gate
 * first shows what the same callers do to the exchange unprotected.
 */
public final class RateLimitStormDrill implements Drill {
    private static final String ROUTE = "account/balance";
    private static final int MAX_CONCURRENT = 8;
    private static final Duration BACKOFF_MAX = Duration.ofSeconds(2);

    public static void main(String[] args) {
        Drill.main(new RateLimitStormDrill(), args);
    }

    @Override
    public String name() {
        return "rate-limit-storm";
    }

    @Override
    public String proves() {
        return "the request gate turns a 429 storm into a few bounded waves, backs off, and recovers";
    }

    @Override
    public Set<String> options() {
        return Set.of("callers", "storm", "baseline", "pace");
    }

    @Override
    public String optionsUsage() {
        return """
                rate-limit-storm options
                  --callers N            threads sharing the key (default 32)
                  --storm D              how long they hammer through the gate (default 6s)
                  --baseline D           the same callers without the gate first, 0s to skip (default 2s)
                  --pace D               pause of each caller between its attempts (default 20ms)
                """;
    }

    /** What one storm did, counted by the callers. */
    /** {@code other}: no answer after sending (timeouts) plus {@code otherApiErrors} (refusals other than 429). */
    private record Tally(long attempts, long ok, long rateLimited, long heldByGate, long other, long otherApiErrors,
                         String lastOther) {
    }

    @Override
    public void run(DrillContext ctx, DrillReport r) throws Exception {
        int callers = ctx.args().integer("callers", 32, 1, 1000);
        Duration storm = ctx.args().duration("storm", Duration.ofSeconds(6));
        Duration baseline = ctx.args().duration("baseline", Duration.ofSeconds(2));
        Duration pace = ctx.args().duration("pace", Duration.ofMillis(20));
        Credentials key = ctx.traders(1).getFirst();
        double baseline429Share = -1;

        if (!baseline.isZero()) {
            // no concurrency limit, no budgets, and a back-off too short to matter: the callers as they are
            OkxClient raw = ctx.client(key, GateConfig.builder().maxConcurrent(0).routeBudgets(false)
                    .backoff(Duration.ofNanos(1), Duration.ofNanos(1)).build());
            Tally t = storm(raw, callers, baseline, pace, null);
            baseline429Share = pct(t.rateLimited(), t.attempts());
            r.evidence("without the gate: %d callers for %d ms made %d attempts; the exchange answered %d ok and "
                            + "%d 429/50011 (%.0f %% of the attempts); other %d%s", callers, baseline.toMillis(),
                    t.attempts(), t.ok(), t.rateLimited(), baseline429Share, t.other(),
                    t.other() > 0 ? " (last: " + t.lastOther() + ")" : "");
            // let the exchange's 2 s window pass so the gated storm starts from a clean slate
            Thread.sleep(2_100);
        }

        // the budget is 20 times the exchange's: only the exchange's answers can slow these callers down
        OkxClient c = ctx.client(key, GateConfig.builder().maxConcurrent(MAX_CONCURRENT)
                .routeLimit(ROUTE, 200, Duration.ofSeconds(2)).backoff(Duration.ofMillis(250), BACKOFF_MAX).build());
        AtomicInteger maxPaused = new AtomicInteger();
        Tally t = storm(c, callers, storm, pace, maxPaused);
        RestStats s = c.stats();
        GateStats g = s.gate();
        r.evidence("through the gate (maxConcurrent %d, budget 200/2s, back-off 250ms..%ds): %d callers for %d ms "
                        + "made %d attempts", MAX_CONCURRENT, BACKOFF_MAX.toSeconds(), callers, storm.toMillis(),
                t.attempts());
        r.evidence("  answered ok %d, 429/50011 %d (%.2f %% of the attempts); held back by the gate until the "
                        + "caller's deadline (not sent) %d; no answer in time or other %d%s", t.ok(), t.rateLimited(),
                pct(t.rateLimited(), t.attempts()), t.heldByGate(), t.other(),
                t.other() > 0 ? " (last: " + t.lastOther() + ")" : "");
        r.evidence("  requests that reached the exchange %d (%.1f %% of the attempts); gate: backoffs %d, "
                        + "paused routes seen %d, waited %d, refused %d", s.attempts(), pct(s.attempts(), t.attempts()),
                g.backoffs(), maxPaused.get(), g.waited(), g.rejected());
        long stormSeconds = Math.max(1, (storm.toMillis() + 999) / 1000);
        long bound = MAX_CONCURRENT * (2 * stormSeconds + 1);
        r.check(t.rateLimited() > 0, "the storm reached the exchange's limit: %d answers 429/50011",
                t.rateLimited());
        r.check(g.backoffs() > 0 && maxPaused.get() > 0, "the gate backed off: %d backoffs, up to %d route(s) "
                + "paused", g.backoffs(), maxPaused.get());
        r.check(t.rateLimited() <= bound, "429s bounded by the back-off: %d <= %d (maxConcurrent %d per wave, at "
                + "most 2 waves a second)", t.rateLimited(), bound, MAX_CONCURRENT);
        // shares of the attempts rather than rates: a slow exchange (a cold start) lowers both rates alike
        double share = pct(t.rateLimited(), t.attempts());
        if (baseline429Share >= 0) {
            r.check(share <= Math.max(1, baseline429Share) * 0.05, "429s not proportional to the demand: %.2f %% of "
                    + "the attempts through the gate against %.0f %% without it (<= 5 %% of it)", share,
                    baseline429Share);
        }
        r.check(t.otherApiErrors() == 0, "the exchange answered nothing but ok and 429/50011 (other refusals: %d)",
                t.otherApiErrors());

        // recovery: correct the budget (degrade to the exchange's real limit), then use the key normally
        c.gate().updateLimit(ROUTE, 10, Duration.ofSeconds(2));
        long start = System.nanoTime();
        int ok = 0;
        String lastError = "";
        for (int i = 0; i < 5; i++) {
            try {
                c.account().balance().execute(RequestOptions.timeout(Duration.ofSeconds(15)));
                ok++;
            } catch (RuntimeException e) {
                lastError = e.getMessage();
            }
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        GateStats after = c.gate().stats();
        r.evidence("recovery: budget set to the exchange's 10/2s; 5 calls in a row: %d ok in %d ms%s; paused "
                + "routes now %d", ok, ms, ok < 5 ? " (last error: " + lastError + ")" : "", after.pausedRoutes());
        r.check(ok == 5 && after.pausedRoutes() == 0, "normal calls succeed after the storm (%d/5)", ok);
    }

    /** {@code callers} threads calling the endpoint until {@code length} has passed; samples the paused routes. */
    private static Tally storm(OkxClient c, int callers, Duration length, Duration pace, AtomicInteger maxPaused)
            throws InterruptedException {
        LongAdder attempts = new LongAdder();
        LongAdder ok = new LongAdder();
        LongAdder limited = new LongAdder();
        LongAdder held = new LongAdder();
        LongAdder other = new LongAdder();
        LongAdder otherApi = new LongAdder();
        AtomicReference<String> lastOther = new AtomicReference<>("");
        long end = System.nanoTime() + length.toNanos();
        // a deadline the exchange's answers fit in easily; the gate refuses at once a call it would hold past it
        RequestOptions options = RequestOptions.timeout(Duration.ofSeconds(1)).withRetry(RetryPolicy.none());
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                while (System.nanoTime() < end) {
                    attempts.increment();
                    try {
                        c.account().balance().execute(options);
                        ok.increment();
                    } catch (ApiException e) {
                        if (OkxErrors.isRateLimit(e)) {
                            limited.increment();
                        } else {
                            other.increment();
                            otherApi.increment();
                            lastOther.set(e.getMessage());
                        }
                    } catch (RequestStateException e) {
                        if (!e.dispatched()) { // the gate held it until its deadline, or refused it at once
                            held.increment();
                        } else {
                            other.increment();
                            lastOther.set(e.getMessage());
                        }
                    }
                    try {
                        Thread.sleep(pace);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }));
        }
        while (System.nanoTime() < end) {
            if (maxPaused != null) {
                maxPaused.accumulateAndGet(c.gate().stats().pausedRoutes(), Math::max);
            }
            Thread.sleep(10);
        }
        for (Thread t : threads) {
            t.join();
        }
        return new Tally(attempts.sum(), ok.sum(), limited.sum(), held.sum(), other.sum(), otherApi.sum(),
                lastOther.get());
    }

    private static double pct(long part, long whole) {
        return whole == 0 ? 0 : 100.0 * part / whole;
    }
}
