package dev.bourse.server.wallet;

import dev.bourse.asset.Asset;
import dev.bourse.server.ledger.SystemAccounts;
import dev.bourse.server.listing.Listing;
import dev.bourse.server.reconcile.Reconciler;
import dev.bourse.server.reconcile.ReconciliationReport;
import dev.bourse.server.store.Database;
import dev.bourse.server.support.TestDatabases;
import dev.bourse.server.support.TraderFixture;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.bourse.server.wallet.WalletTestKit.balance;
import static dev.bourse.server.wallet.WalletTestKit.policy;
import static dev.bourse.server.wallet.WalletTestKit.units;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The wallet on PostgreSQL with the simulated chain: deposits after their confirmations and exactly once
 * (also with racing watchers), deposits waiting while disabled or blocked, every withdrawal refusal
 * changing nothing, review, broadcast, confirmation, failure, cancel, a halt after approval, clientId
 * idempotency, a restart — and a clean reconciliation after all of it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(300)
class WalletIT {
    private TestDatabases.TestDb testDb;
    private Database db;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final WalletTestKit.Switches switches = new WalletTestKit.Switches();
    private final WalletTestKit.TestClock clock = new WalletTestKit.TestClock();
    private Wallet wallet;
    private SimulatedChain chain;
    private Asset btc;
    private Asset eth;
    private Asset usdt;
    private final AtomicInteger users = new AtomicInteger();

    @BeforeAll
    void start() throws Exception {
        testDb = TestDatabases.postgres();
        db = testDb.open();
        TraderFixture.list(db);
        Map<String, Asset> assets = new Listing(db).assets();
        btc = assets.get("BTC");
        eth = assets.get("ETH");
        usdt = assets.get("USDT");
        wallet = WalletTestKit.wallet(db, switches, clock, meters);
        chain = (SimulatedChain) wallet.chain();
        // BTC: 2 confirmations, 0.001..5 per withdrawal, 8 a day, review above 1, fee 0.0005
        apply(policy(btc, 1, true, true, 2, "0.001", "5", "8", "1", false, 0, "0.0005"));
        // USDT: whitelist required, one hour cooldown
        apply(policy(usdt, 1, true, true, 1, "1", "100000", "200000", "50000", true, 3_600_000, "1"));
        // ETH: withdrawals disabled
        apply(policy(eth, 1, true, false, 1, "0.01", "100", "100", "50", false, 0, "0.001"));
    }

    @AfterAll
    void stop() throws Exception {
        if (wallet != null) {
            wallet.close();
        }
        if (db != null) {
            db.close();
        }
        if (testDb != null) {
            testDb.close();
        }
    }

    private void apply(WalletPolicy p) throws Exception {
        wallet.policies().apply(p, "test", null, wallet.asset(p.asset()).scale());
    }

    private long user(Map<String, String> funds) throws Exception {
        return TraderFixture.user(db, "wallet-it-" + users.incrementAndGet(), funds);
    }

    private Wallet.WithdrawalRequest req(long user, Asset a, String amt, String addr) {
        return new Wallet.WithdrawalRequest(user, a, units(a, amt), addr, null, null, null);
    }

    private long ledgerRows() throws Exception {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM ledger_entries");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private long withdrawalRows() throws Exception {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM wallet_withdrawals");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Ends every live withdrawal (cancel before broadcast, settle after), then reconciles. Without the
     * reconciler knowing withdrawal holds (see the OrderChecks change proposed with the wallet), a held
     * balance of a pending withdrawal would show as an order-hold difference.
     */
    private void assertReconciled() throws Exception {
        for (Withdrawal w : wallet.withdrawals("WHERE state IN ('PENDING_REVIEW', 'APPROVED')", List.of(), 1000)) {
            wallet.cancel(w.userId(), w.wdId());
        }
        if (!wallet.withdrawals("WHERE state = 'BROADCAST'", List.of(), 1).isEmpty()) {
            chain.mine(10);
            wallet.processPayouts();
        }
        assertTrue(wallet.withdrawals("WHERE state IN ('PENDING_REVIEW', 'APPROVED', 'BROADCAST')", List.of(), 1).isEmpty());
        wallet.refreshGauges();
        for (Asset a : List.of(btc, eth, usdt)) {
            assertEquals(0.0, meters.find("bourse_wallet_onchain_difference").tag("asset", a.code()).gauge().value(), 1e-12,
                    "on-chain difference of " + a.code());
        }
        ReconciliationReport r = new Reconciler(db).run();
        assertTrue(r.clean(), r.toText());
    }

    // ------------------------------------------------------------------ deposits

    @Test
    void depositIsCreditedAfterItsConfirmationsExactlyOnce() throws Exception {
        long u = user(Map.of());
        String addr = wallet.depositAddress(u, btc);
        assertEquals(addr, wallet.depositAddress(u, btc), "one address per user and asset");
        String tx = chain.injectDeposit("BTC", addr, units(btc, "1.5"));
        wallet.tick();
        assertArrayEquals(new long[] {0, 0}, balance(db, u, btc), "unmined");
        chain.mine(1);
        wallet.tick();
        assertArrayEquals(new long[] {0, 0}, balance(db, u, btc), "1 of 2 confirmations");
        List<Deposit> pending = wallet.deposits("WHERE tx_id = ?", List.of(tx), 10);
        assertEquals(1, pending.size());
        assertEquals(Deposit.State.PENDING, pending.get(0).state());
        chain.mine(1);
        wallet.tick();
        assertArrayEquals(new long[] {units(btc, "1.5"), 0}, balance(db, u, btc));
        long rows = ledgerRows();
        chain.mine(3);
        wallet.tick();
        wallet.tick();
        assertArrayEquals(new long[] {units(btc, "1.5"), 0}, balance(db, u, btc), "credited once");
        assertEquals(rows, ledgerRows());
        assertEquals(Deposit.State.CREDITED, wallet.deposits("WHERE tx_id = ?", List.of(tx), 10).get(0).state());
        assertNotNull(meters.find("bourse_wallet_deposit_confirmation_lag_seconds").tag("asset", "BTC").timer());
        assertReconciled();
    }

    @Test
    void racingWatchersCreditEachDepositOnce() throws Exception {
        List<Long> owners = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            long u = user(Map.of());
            owners.add(u);
            chain.injectDeposit("BTC", wallet.depositAddress(u, btc), units(btc, "0.25"));
        }
        chain.mine(2);
        // a second pod: its own wallet on the same database and chain
        Wallet other = WalletTestKit.wallet(db, switches, clock, new SimpleMeterRegistry());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> runs = new ArrayList<>();
            for (Wallet w : List.of(wallet, other, wallet, other)) {
                Callable<Integer> c = () -> {
                    go.await();
                    w.scanDeposits();
                    return w.creditDeposits();
                };
                runs.add(pool.submit(c));
            }
            go.countDown();
            int credited = 0;
            for (Future<Integer> f : runs) {
                credited += f.get();
            }
            assertEquals(8, credited, "each deposit credited by exactly one watcher");
        } finally {
            pool.shutdownNow();
            other.close();
        }
        for (long u : owners) {
            assertArrayEquals(new long[] {units(btc, "0.25"), 0}, balance(db, u, btc));
        }
        assertReconciled();
    }

    @Test
    void depositWaitsWhileDisabledOrBlockedAndIsCreditedAfter() throws Exception {
        Asset a = eth;
        long u = user(Map.of());
        String addr = wallet.depositAddress(u, a);
        // the operator closes ETH deposits (runbook 4 D)
        apply(policy(eth, 2, false, false, 1, "0.01", "100", "100", "50", false, 0, "0.001"));
        chain.injectDeposit("ETH", addr, units(a, "3"));
        chain.mine(5);
        wallet.tick();
        assertArrayEquals(new long[] {0, 0}, balance(db, u, a), "deposits disabled: waits");
        assertEquals(1, wallet.deposits("WHERE user_id = ? AND state = 'PENDING'", List.of(u), 10).size());
        // reopened, but the user's deposits are frozen
        switches.deposits.put("ETH", "ETH deposits frozen by the operator");
        try {
            apply(policy(eth, 3, true, false, 1, "0.01", "100", "100", "50", false, 0, "0.001"));
            wallet.tick();
            assertArrayEquals(new long[] {0, 0}, balance(db, u, a), "blocked: waits");
        } finally {
            switches.deposits.clear();
        }
        wallet.tick();
        assertArrayEquals(new long[] {units(a, "3"), 0}, balance(db, u, a), "credited once allowed");
        assertReconciled();
    }

    // ------------------------------------------------------------------ withdrawal refusals

    private void assertRefused(String code, String reason, Wallet.WithdrawalRequest r) throws Exception {
        long[] before = balance(db, r.userId(), r.asset());
        long rows = ledgerRows();
        long wds = withdrawalRows();
        double counted = refusals(r.asset().code(), reason);
        WalletRefusal e = assertThrows(WalletRefusal.class, () -> wallet.requestWithdrawal(r));
        assertEquals(code, e.code(), e.getMessage());
        assertEquals(reason, e.reason());
        assertArrayEquals(before, balance(db, r.userId(), r.asset()), "balance unchanged");
        assertEquals(rows, ledgerRows(), "ledger unchanged");
        assertEquals(wds, withdrawalRows(), "no withdrawal stored");
        assertEquals(counted + 1, refusals(r.asset().code(), reason), "refusal counted");
    }

    private double refusals(String asset, String reason) {
        var c = meters.find("bourse_wallet_refusals_total").tag("asset", asset).tag("reason", reason).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void everyPolicyRefusalChangesNothing() throws Exception {
        long u = user(Map.of("BTC", "3", "ETH", "10", "USDT", "1000"));
        assertRefused("58214", "disabled", req(u, eth, "1", "eth-address-1"));
        switches.withdrawals.put("BTC", "withdrawals halted");
        try {
            assertRefused("58204", "blocked", req(u, btc, "0.1", "btc-address-1"));
        } finally {
            switches.withdrawals.clear();
        }
        assertRefused("58206", "min_amount", req(u, btc, "0.0009", "btc-address-1"));
        assertRefused("58205", "max_amount", req(u, btc, "5.1", "btc-address-1"));
        assertRefused("58350", "insufficient", req(u, btc, "3", "btc-address-1")); // 3 + fee > 3
        assertRefused("58010", "bad_param", new Wallet.WithdrawalRequest(u, btc, units(btc, "0.1"), "btc-address-1",
                "BTC-Lightning", null, null));
        assertRefused("51000", "bad_param", new Wallet.WithdrawalRequest(u, btc, units(btc, "0.1"), "btc-address-1",
                null, units(btc, "0.0001"), null));
        // USDT needs a whitelisted address, usable an hour after it was added
        assertRefused("58207", "whitelist", req(u, usdt, "10", "usdt-address-1"));
        wallet.addToWhitelist(u, "USDT", "usdt-address-1", "test", null);
        assertRefused("58219", "cooldown", req(u, usdt, "10", "usdt-address-1"));
        clock.advance(3_600_000);
        Withdrawal ok = wallet.requestWithdrawal(req(u, usdt, "10", "usdt-address-1"));
        assertEquals(Withdrawal.State.APPROVED, ok.state());
        assertArrayEquals(new long[] {units(usdt, "989"), units(usdt, "11")}, balance(db, u, usdt));
        assertReconciled();
    }

    @Test
    void dailyLimitCountsTheLast24Hours() throws Exception {
        long u = user(Map.of("BTC", "20"));
        wallet.requestWithdrawal(req(u, btc, "1", "btc-daily-1"));
        wallet.requestWithdrawal(req(u, btc, "1", "btc-daily-1"));
        Withdrawal big = wallet.requestWithdrawal(req(u, btc, "5", "btc-daily-1")); // review: still counts
        assertEquals(Withdrawal.State.PENDING_REVIEW, big.state());
        assertRefused("58201", "daily_limit", req(u, btc, "1.5", "btc-daily-1"));
        // a cancelled withdrawal no longer counts
        wallet.cancel(u, big.wdId());
        wallet.requestWithdrawal(req(u, btc, "1.5", "btc-daily-1"));
        assertRefused("58201", "daily_limit", req(u, btc, "4.6", "btc-daily-1"));
        clock.advance(Wallet.DAY_MILLIS);
        assertEquals(Withdrawal.State.PENDING_REVIEW, wallet.requestWithdrawal(req(u, btc, "4.6", "btc-daily-1")).state());
        assertReconciled();
    }

    // ------------------------------------------------------------------ withdrawal life cycle

    @Test
    void reviewedWithdrawalIsApprovedBroadcastAndConfirmed() throws Exception {
        long u = user(Map.of("BTC", "4"));
        long[] fees0 = balance(db, SystemAccounts.WALLET_FEES, btc);
        long[] ext0 = balance(db, SystemAccounts.EXTERNAL, btc);
        Withdrawal w = wallet.requestWithdrawal(req(u, btc, "2", "btc-dest-review"));
        assertEquals(Withdrawal.State.PENDING_REVIEW, w.state());
        assertEquals("4", w.okxState());
        assertArrayEquals(new long[] {units(btc, "1.9995"), units(btc, "2.0005")}, balance(db, u, btc));
        wallet.processPayouts();
        assertEquals(Withdrawal.State.PENDING_REVIEW, wallet.withdrawal(w.wdId()).orElseThrow().state(), "not without review");
        Withdrawal approved = wallet.approve(w.wdId(), "ops-anna", "req-1");
        assertEquals(Withdrawal.State.APPROVED, approved.state());
        assertEquals("7", approved.okxState());
        assertThrows(WalletRefusal.class, () -> wallet.approve(w.wdId(), "ops-anna", "req-2"), "approved once");
        wallet.processPayouts();
        Withdrawal sent = wallet.withdrawal(w.wdId()).orElseThrow();
        assertEquals(Withdrawal.State.BROADCAST, sent.state());
        assertEquals("sim-out-" + w.wdId(), sent.txId());
        assertArrayEquals(new long[] {units(btc, "1.9995"), 0}, balance(db, u, btc));
        assertEquals(units(btc, "2"), balance(db, SystemAccounts.WITHDRAWALS_IN_TRANSIT, btc)[0]);
        assertThrows(WalletRefusal.class, () -> wallet.cancel(u, w.wdId()), "no cancel after broadcast");
        chain.mine(1);
        wallet.processPayouts();
        assertEquals(Withdrawal.State.BROADCAST, wallet.withdrawal(w.wdId()).orElseThrow().state(), "1 of 2 confirmations");
        chain.mine(1);
        wallet.tick();
        assertEquals(Withdrawal.State.CONFIRMED, wallet.withdrawal(w.wdId()).orElseThrow().state());
        assertEquals(0, balance(db, SystemAccounts.WITHDRAWALS_IN_TRANSIT, btc)[0]);
        assertEquals(fees0[0] + units(btc, "0.0005"), balance(db, SystemAccounts.WALLET_FEES, btc)[0]);
        assertEquals(ext0[0] + units(btc, "2"), balance(db, SystemAccounts.EXTERNAL, btc)[0]);
        wallet.tick();
        assertEquals(fees0[0] + units(btc, "0.0005"), balance(db, SystemAccounts.WALLET_FEES, btc)[0], "settled once");
        assertEquals(1.0, meters.find("bourse_wallet_payouts_total").tag("asset", "BTC").tag("result", "confirmed")
                .counter().count(), 0.0001);
        assertEquals(0.0, meters.find("bourse_wallet_onchain_difference").tag("asset", "BTC").gauge().value(), 1e-12);
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT actor, before_state, after_state, request_id FROM audit_log "
                     + "WHERE action = 'wallet.withdrawal.approve' AND target = ?")) {
            ps.setString(1, "withdrawal:" + w.wdId());
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertEquals("ops-anna", rs.getString(1));
                assertTrue(rs.getString(2).contains("pending_review"));
                assertTrue(rs.getString(3).contains("approved"));
                assertEquals("req-1", rs.getString(4));
            }
        }
        assertReconciled();
    }

    @Test
    void rejectionAndCancelReturnTheHeldFunds() throws Exception {
        long u = user(Map.of("BTC", "4"));
        Withdrawal big = wallet.requestWithdrawal(req(u, btc, "1.5", "btc-dest-reject"));
        Withdrawal small = wallet.requestWithdrawal(req(u, btc, "0.5", "btc-dest-cancel"));
        assertEquals(Withdrawal.State.APPROVED, small.state());
        assertEquals("0", small.okxState());
        Withdrawal rejected = wallet.reject(big.wdId(), "rejected: address flagged", "ops-bo", "req-9");
        assertEquals(Withdrawal.State.REJECTED, rejected.state());
        assertEquals("-1", rejected.okxState());
        Withdrawal canceled = wallet.cancel(u, small.wdId());
        assertEquals("-2", canceled.okxState());
        WalletRefusal again = assertThrows(WalletRefusal.class, () -> wallet.cancel(u, small.wdId()));
        assertEquals("58220", again.code());
        assertEquals("58215", assertThrows(WalletRefusal.class, () -> wallet.cancel(u + 1, big.wdId())).code(),
                "not someone else's withdrawal");
        assertThrows(WalletRefusal.class, () -> wallet.approve(big.wdId(), "ops", null), "no approval after rejection");
        wallet.processPayouts();
        assertArrayEquals(new long[] {units(btc, "4"), 0}, balance(db, u, btc));
        assertNull(chain.payoutStatus(small.wdId()), "nothing was paid");
        assertReconciled();
    }

    @Test
    void failedPayoutReturnsAmountAndFee() throws Exception {
        long u = user(Map.of("BTC", "1"));
        long[] fees0 = balance(db, SystemAccounts.WALLET_FEES, btc);
        chain.failNextPayout();
        Withdrawal w = wallet.requestWithdrawal(req(u, btc, "0.5", "btc-dest-fail"));
        wallet.processPayouts(); // broadcast, and the chain reports the failure at once
        Withdrawal failed = wallet.withdrawal(w.wdId()).orElseThrow();
        assertEquals(Withdrawal.State.FAILED, failed.state());
        assertEquals("-1", failed.okxState());
        assertArrayEquals(new long[] {units(btc, "1"), 0}, balance(db, u, btc));
        assertArrayEquals(fees0, balance(db, SystemAccounts.WALLET_FEES, btc));
        // a given payout, failed before it is mined
        Withdrawal w2 = wallet.requestWithdrawal(req(u, btc, "0.2", "btc-dest-fail"));
        wallet.processPayouts();
        assertTrue(chain.failPayout(w2.wdId()));
        chain.mine(3);
        wallet.tick();
        assertEquals(Withdrawal.State.FAILED, wallet.withdrawal(w2.wdId()).orElseThrow().state());
        assertArrayEquals(new long[] {units(btc, "1"), 0}, balance(db, u, btc));
        assertTrue(meters.find("bourse_wallet_payout_failures_total").tag("asset", "BTC").counter().count() >= 2);
        assertReconciled();
    }

    @Test
    void haltArrivingAfterApprovalStopsTheBroadcast() throws Exception {
        long u = user(Map.of("BTC", "1"));
        Withdrawal w = wallet.requestWithdrawal(req(u, btc, "0.3", "btc-dest-halt"));
        assertEquals(Withdrawal.State.APPROVED, w.state());
        switches.withdrawals.put("*", "global halt-withdrawals");
        try {
            wallet.tick();
            wallet.tick();
            assertEquals(Withdrawal.State.APPROVED, wallet.withdrawal(w.wdId()).orElseThrow().state());
            assertNull(chain.payoutStatus(w.wdId()), "not broadcast while halted");
            assertEquals(units(btc, "0.3005"), balance(db, u, btc)[1], "still held");
        } finally {
            switches.withdrawals.clear();
        }
        // the policy switch holds it back as well
        apply(policy(btc, 2, true, false, 2, "0.001", "5", "8", "1", false, 0, "0.0005"));
        wallet.tick();
        assertEquals(Withdrawal.State.APPROVED, wallet.withdrawal(w.wdId()).orElseThrow().state());
        apply(policy(btc, 3, true, true, 2, "0.001", "5", "8", "1", false, 0, "0.0005"));
        wallet.tick();
        assertEquals(Withdrawal.State.BROADCAST, wallet.withdrawal(w.wdId()).orElseThrow().state());
        assertReconciled();
    }

    @Test
    void clientIdMakesARequestIdempotent() throws Exception {
        long u = user(Map.of("BTC", "1"));
        Wallet.WithdrawalRequest r = new Wallet.WithdrawalRequest(u, btc, units(btc, "0.1"), "btc-dest-cid", null, null, "abc123");
        Withdrawal first = wallet.requestWithdrawal(r);
        long rows = ledgerRows();
        Withdrawal again = wallet.requestWithdrawal(r);
        assertEquals(first.wdId(), again.wdId());
        assertEquals(rows, ledgerRows(), "held once");
        assertEquals(units(btc, "0.1005"), balance(db, u, btc)[1]);
        assertRefused("51000", "bad_param", new Wallet.WithdrawalRequest(u, btc, units(btc, "0.2"), "btc-dest-cid", null,
                null, "abc123"));
        // concurrent requests with one clientId: one withdrawal
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            Wallet.WithdrawalRequest r2 = new Wallet.WithdrawalRequest(u, btc, units(btc, "0.05"), "btc-dest-cid", null, null,
                    "race1");
            List<Future<Withdrawal>> fs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                fs.add(pool.submit(() -> wallet.requestWithdrawal(r2)));
            }
            long id = fs.get(0).get().wdId();
            for (Future<Withdrawal> f : fs) {
                assertEquals(id, f.get().wdId());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(units(btc, "0.151"), balance(db, u, btc)[1]);
        assertReconciled();
    }

    @Test
    void aRestartedWalletKeepsPoliciesAndPendingWithdrawals() throws Exception {
        long u = user(Map.of("BTC", "3"));
        Withdrawal review = wallet.requestWithdrawal(req(u, btc, "1.2", "btc-dest-restart"));
        Wallet second = WalletTestKit.wallet(db, switches, clock, new SimpleMeterRegistry());
        try {
            WalletPolicy p = second.policies().get("BTC").orElseThrow();
            assertEquals(wallet.policies().get("BTC").orElseThrow(), p);
            assertEquals(Withdrawal.State.PENDING_REVIEW, second.withdrawal(review.wdId()).orElseThrow().state());
            second.approve(review.wdId(), "ops", null);
            second.processPayouts();
            second.chain().tipHeight();
            ((SimulatedChain) second.chain()).mine(p.confirmations());
            second.processPayouts();
            assertEquals(Withdrawal.State.CONFIRMED, second.withdrawal(review.wdId()).orElseThrow().state());
            assertEquals(wallet.depositAddress(u, btc), second.depositAddress(u, btc));
        } finally {
            second.close();
        }
        assertArrayEquals(new long[] {units(btc, "1.7995"), 0}, balance(db, u, btc));
        assertReconciled();
    }
}
