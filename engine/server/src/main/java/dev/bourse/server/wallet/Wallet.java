package dev.bourse.server.wallet;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bourse.asset.Asset;
import dev.bourse.fixed.Decimals;
import dev.bourse.server.admin.AuditLog;
import dev.bourse.server.admin.AuditRecord;
import dev.bourse.server.control.FundsControls;
import dev.bourse.server.http.Json;
import dev.bourse.server.ledger.BalanceDeltas;
import dev.bourse.server.ledger.BalanceWriter;
import dev.bourse.server.ledger.Ledger;
import dev.bourse.server.ledger.LedgerEntry;
import dev.bourse.server.ledger.LedgerWriter;
import dev.bourse.server.ledger.SystemAccounts;
import dev.bourse.server.listing.Listing;
import dev.bourse.server.store.Database;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The wallet: deposit addresses, deposits credited after their confirmations, withdrawals through
 * policy checks, review, broadcast and confirmation, and the whitelist. Every money movement is one
 * balanced posting set with a natural posting key, written with the conditional state change that
 * caused it in one transaction, so a step can happen once only, also with several pods running the
 * watcher against one database:
 * <pre>
 * request   user available -> user held (amount + fee)                       wallet:wd:ID:hold
 * cancel / reject   user held -> user available                              wallet:wd:ID:release
 * broadcast user held -> in transit (amount), wallet fees (fee)              wallet:wd:ID:broadcast
 * confirmed in transit -> external                                           wallet:wd:ID:confirm
 * failed    in transit, wallet fees -> user available                        wallet:wd:ID:fail
 * deposit   external -> user available                                       wallet:dep:sha256(txId#index)
 * </pre>
 * {@link FundsControls} is asked when a withdrawal is requested, again right before its broadcast (a
 * halt stops a queued withdrawal there; it stays approved), and before crediting a deposit (it waits).
 */
public final class Wallet implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Wallet.class.getName());
    static final long DAY_MILLIS = 86_400_000L;
    static final String ACTOR_WATCHER = "wallet-watcher";

    private final Database db;
    private final Listing listing;
    private final AuditLog audit;
    private final FundsControls controls;
    private final ChainAdapter chain;
    private final MeterRegistry meters;
    private final Clock clock;
    private final WalletSettings settings;
    private final WalletPolicies policies;
    private volatile Map<String, Asset> assets = Map.of();
    private ScheduledExecutorService scheduler;

    private final Map<String, Counter> refusals = new ConcurrentHashMap<>();
    private final Map<String, Counter> payouts = new ConcurrentHashMap<>();
    private final Map<String, Counter> payoutFailures = new ConcurrentHashMap<>();
    private final Map<String, Timer> lags = new ConcurrentHashMap<>();
    private final Map<String, GaugeValue> gauges = new ConcurrentHashMap<>();

    /** A gauge's value; the map keeps it strongly reachable (Micrometer holds gauges weakly). */
    private static final class GaugeValue {
        volatile double value;
    }

    public Wallet(Database db, Listing listing, AuditLog audit, FundsControls controls, ChainAdapter chain,
                  MeterRegistry meters, Clock clock, WalletSettings settings) {
        this.db = db;
        this.listing = listing;
        this.audit = audit;
        this.controls = controls;
        this.chain = chain;
        this.meters = meters;
        this.clock = clock;
        this.settings = settings;
        this.policies = new WalletPolicies(db, audit, clock);
    }

    // ------------------------------------------------------------------ life cycle

    /**
     * Ensures the wallet fee account, installs the dev policies if asked, and starts the watcher (and the
     * simulated chain's block timer) when their intervals are not 0.
     */
    public synchronized void start() throws SQLException {
        new Ledger(db).ensureWalletFeeAccount();
        if (settings.devPolicies()) {
            installDevPolicies();
        }
        if (settings.scanMillis() == 0 && (settings.simBlockMillis() == 0 || !(chain instanceof SimulatedChain))) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "wallet-watcher");
            t.setDaemon(true);
            return t;
        });
        if (settings.scanMillis() > 0) {
            scheduler.scheduleWithFixedDelay(this::tickQuietly, settings.scanMillis(), settings.scanMillis(),
                    TimeUnit.MILLISECONDS);
        }
        if (settings.simBlockMillis() > 0 && chain instanceof SimulatedChain sim) {
            scheduler.scheduleWithFixedDelay(() -> {
                try {
                    sim.mine(1);
                } catch (SQLException | RuntimeException e) {
                    LOG.log(java.util.logging.Level.WARNING, "simulated chain: mining failed", e);
                }
            }, settings.simBlockMillis(), settings.simBlockMillis(), TimeUnit.MILLISECONDS);
        }
        LOG.info(() -> "wallet started: chain " + chain.name() + ", scan every " + settings.scanMillis() + " ms"
                + (chain instanceof SimulatedChain ? ", simulated block every " + settings.simBlockMillis() + " ms" : ""));
    }


    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            try {
                scheduler.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            scheduler = null;
        }
    }

    /** Default policies for the demo assets (generation 0: any policy the operator pushes replaces them). */
    void installDevPolicies() throws SQLException {
        Map<String, String[]> demo = Map.of(
                // min, max, daily, review above, fee
                "BTC", new String[] {"0.0001", "100", "200", "5", "0.0001"},
                "ETH", new String[] {"0.001", "1000", "2000", "50", "0.001"},
                "USDT", new String[] {"1", "1000000", "2000000", "100000", "1"});
        for (Map.Entry<String, String[]> e : demo.entrySet()) {
            Asset a = asset(e.getKey());
            if (a == null) {
                continue;
            }
            String[] v = e.getValue();
            int s = a.scale();
            WalletPolicy p = new WalletPolicy(a.code(), true, true, 2, Decimals.parse(v[0], s), Decimals.parse(v[1], s),
                    Decimals.parse(v[2], s), Decimals.parse(v[3], s), false, 0, Decimals.parse(v[4], s), 0, 0, 0);
            policies.apply(p, "dev-seed", null, s);
        }
    }

    public WalletPolicies policies() {
        return policies;
    }

    public ChainAdapter chain() {
        return chain;
    }

    public Clock clock() {
        return clock;
    }

    /** A listed asset by code, or null. */
    public Asset asset(String code) throws SQLException {
        if (code == null) {
            return null;
        }
        Asset a = assets.get(code);
        if (a == null) {
            assets = listing.assets();
            a = assets.get(code);
        }
        return a;
    }

    // ------------------------------------------------------------------ refusals

    /** Counts and logs a refusal and returns it for the caller to throw. */
    public WalletRefusal refuse(String asset, String reason, String code, String msg) {
        return refuse(asset, reason, code, msg, code.startsWith("5") && !code.startsWith("58") ? 400 : 200);
    }

    WalletRefusal refuse(String asset, String reason, String code, String msg, int status) {
        String tag = asset == null || asset.isEmpty() ? "-" : asset;
        refusals.computeIfAbsent(tag + "|" + reason, k -> Counter.builder("bourse_wallet_refusals_total")
                .description("Wallet requests refused (nothing changed), by asset and reason")
                .tag("asset", tag).tag("reason", reason).register(meters)).increment();
        LOG.info(() -> "wallet: refused (" + reason + ", " + tag + "): " + code + " " + msg);
        return new WalletRefusal(status, code, reason, msg);
    }

    // ------------------------------------------------------------------ deposit addresses

    /** The user's deposit address for {@code asset}, created on first use. */
    public String depositAddress(long userId, Asset asset) throws Exception {
        Optional<WalletPolicy> p = policies.get(asset.code());
        if (p.isEmpty() || !p.get().depositsEnabled()) {
            throw refuse(asset.code(), "deposits_disabled", "58303",
                    "Deposit for chain " + chain.chain(asset.code()) + " is currently unavailable");
        }
        String have = storedAddress(userId, asset.code());
        if (have != null) {
            return have;
        }
        String address = chain.newDepositAddress(userId, asset.code());
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO wallet_addresses (address, user_id, asset, chain, created_at) "
                     + "VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, address);
            ps.setLong(2, userId);
            ps.setString(3, asset.code());
            ps.setString(4, chain.chain(asset.code()));
            ps.setLong(5, clock.millis());
            ps.executeUpdate();
        } catch (SQLException e) {
            if (!Ledger.isUniqueViolation(e)) {
                throw e;
            }
            // a concurrent request stored the user's address first
        }
        String stored = storedAddress(userId, asset.code());
        if (stored == null) {
            throw new SQLException("deposit address of " + userId + "/" + asset.code() + " not stored");
        }
        return stored;
    }

    private String storedAddress(long userId, String asset) throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT address FROM wallet_addresses WHERE user_id = ? AND asset = ?")) {
            ps.setLong(1, userId);
            ps.setString(2, asset);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** Owner and asset of one of our deposit addresses, or null. */
    public long[] addressOwner(String address) throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT user_id FROM wallet_addresses WHERE address = ?")) {
            ps.setString(1, address);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new long[] {rs.getLong(1)} : null;
            }
        }
    }

    // ------------------------------------------------------------------ deposits

    /** Runs one round of the watcher: record new deposits, credit what may be credited, advance payouts, gauges. */
    public void tick() throws Exception {
        scanDeposits();
        creditDeposits();
        processPayouts();
        refreshGauges();
    }

    private void tickQuietly() {
        try {
            tick();
        } catch (Exception e) {
            LOG.log(java.util.logging.Level.WARNING, "wallet watcher round failed (retried next round)", e);
        }
    }

    /** Records every transfer to one of our addresses mined since the scan cursor; returns how many were new. */
    public int scanDeposits() throws Exception {
        long tip = chain.tipHeight();
        long from = cursor() + 1;
        if (from > tip) {
            return 0;
        }
        int recorded = 0;
        for (ChainAdapter.IncomingTransfer t : chain.incoming(from, tip)) {
            if (record(t)) {
                recorded++;
            }
        }
        advanceCursor(tip);
        return recorded;
    }

    private long cursor() throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT height FROM wallet_scan_cursor WHERE chain_name = ?")) {
            ps.setString(1, chain.name());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    private void advanceCursor(long height) throws SQLException {
        try (Connection c = db.connection()) {
            int n;
            try (PreparedStatement ps = c.prepareStatement("UPDATE wallet_scan_cursor SET height = ? WHERE chain_name = ? AND height < ?")) {
                ps.setLong(1, height);
                ps.setString(2, chain.name());
                ps.setLong(3, height);
                n = ps.executeUpdate();
            }
            if (n == 0) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO wallet_scan_cursor (chain_name, height) "
                        + "SELECT ?, ? WHERE NOT EXISTS (SELECT 1 FROM wallet_scan_cursor WHERE chain_name = ?)")) {
                    ps.setString(1, chain.name());
                    ps.setLong(2, height);
                    ps.setString(3, chain.name());
                    ps.executeUpdate();
                } catch (SQLException e) {
                    if (!Ledger.isUniqueViolation(e)) {
                        throw e;
                    }
                }
            }
        }
    }

    private boolean record(ChainAdapter.IncomingTransfer t) throws SQLException {
        long[] owner = addressOwner(t.address());
        if (owner == null) {
            LOG.fine(() -> "wallet: transfer " + t.txId() + " is not to one of our addresses");
            return false;
        }
        if (asset(t.asset()) == null || t.amount() <= 0) {
            LOG.warning(() -> "wallet: transfer " + t.txId() + " of unlisted asset " + t.asset() + " or bad amount ignored");
            return false;
        }
        try (Connection c = db.connection()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM wallet_deposits WHERE tx_id = ? AND tx_index = ?")) {
                ps.setString(1, t.txId());
                ps.setInt(2, t.index());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return false;
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO wallet_deposits (dep_id, tx_id, tx_index, user_id, asset, "
                    + "chain, address, amount, block_height, state, first_seen_at) VALUES (nextval('wallet_ids'), ?, ?, ?, ?, ?, ?, ?, ?, "
                    + "'PENDING', ?)")) {
                ps.setString(1, t.txId());
                ps.setInt(2, t.index());
                ps.setLong(3, owner[0]);
                ps.setString(4, t.asset());
                ps.setString(5, chain.chain(t.asset()));
                ps.setString(6, t.address());
                ps.setLong(7, t.amount());
                ps.setLong(8, t.blockHeight());
                ps.setLong(9, clock.millis());
                ps.executeUpdate();
            }
            return true;
        } catch (SQLException e) {
            if (Ledger.isUniqueViolation(e)) { // another watcher recorded it first
                return false;
            }
            throw e;
        }
    }

    /**
     * Credits every pending deposit whose confirmations reach its policy's, whose asset accepts deposits
     * and which no switch blocks. Returns how many were credited by this call.
     */
    public int creditDeposits() throws Exception {
        long tip = chain.tipHeight();
        int credited = 0;
        for (Deposit d : deposits("WHERE state = 'PENDING' ORDER BY dep_id", List.of(), 1000)) {
            if (waitingReason(d, tip) != null) {
                continue;
            }
            if (credit(d)) {
                credited++;
            }
        }
        return credited;
    }

    /** Why a pending deposit is not credited yet (OKX state 0, 8 or 12), or null when it may be. */
    String waitingReason(Deposit d, long tip) throws SQLException {
        Optional<WalletPolicy> p = policies.get(d.asset());
        if (p.isEmpty() || !p.get().depositsEnabled()) {
            return "8";
        }
        if (controls.depositBlock(d.userId(), d.asset()) != null) {
            return "12";
        }
        if (confirmations(d, tip) < Math.max(1, p.get().confirmations())) {
            return "0";
        }
        return null;
    }

    static long confirmations(Deposit d, long tip) {
        return Math.max(0, tip - d.blockHeight() + 1);
    }

    private boolean credit(Deposit d) throws SQLException {
        Asset a = asset(d.asset());
        long now = clock.millis();
        boolean done = inTransaction(c -> {
            if (update(c, "UPDATE wallet_deposits SET state = 'CREDITED', credited_at = ? WHERE dep_id = ? AND state = 'PENDING'",
                    now, d.depId()) != 1) {
                return false;
            }
            return post(c, depositKey(d.txId(), d.txIndex()), "WALLET_DEPOSIT", a.id(),
                    new Leg(SystemAccounts.EXTERNAL, false, -d.amount()), new Leg(d.userId(), false, d.amount()));
        });
        if (done) {
            lags.computeIfAbsent(d.asset(), k -> Timer.builder("bourse_wallet_deposit_confirmation_lag_seconds")
                    .description("Time from a deposit first seen on chain to its crediting")
                    .tag("asset", k).register(meters)).record(Duration.ofMillis(Math.max(0, now - d.firstSeenAt())));
            LOG.info(() -> "wallet: deposit " + d.txId() + " of " + Decimals.format(d.amount(), a.scale()) + " " + d.asset()
                    + " credited to " + d.userId());
        }
        return done;
    }

    /** The posting key of a deposit: derived from the chain's tx id and output index only. */
    static String depositKey(String txId, int index) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest((txId + "#" + index).getBytes(StandardCharsets.UTF_8));
            return "wallet:dep:" + HexFormat.of().formatHex(h, 0, 20);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Deposits matching a WHERE clause (over the columns of {@code wallet_deposits}). */
    List<Deposit> deposits(String whereOrderBy, List<Object> args, int limit) throws SQLException {
        List<Deposit> out = new ArrayList<>();
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT dep_id, tx_id, tx_index, user_id, asset, chain, address, amount, "
                     + "block_height, state, first_seen_at, credited_at FROM wallet_deposits " + whereOrderBy + " LIMIT " + limit)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long credited = rs.getLong(12);
                    out.add(new Deposit(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getLong(4), rs.getString(5),
                            rs.getString(6), rs.getString(7), rs.getLong(8), rs.getLong(9),
                            Deposit.State.valueOf(rs.getString(10)), rs.getLong(11), rs.wasNull() ? null : credited));
                }
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ withdrawals

    /** A withdrawal request as parsed at the API edge (amounts in asset units). */
    public record WithdrawalRequest(long userId, Asset asset, long amount, String toAddr, String chain, Long fee,
                                    String clientId) {
    }

    /**
     * Checks the request against the policy, the switches, the whitelist and the daily limit, and holds
     * amount + fee from the user's available balance. Returns the withdrawal (the earlier one for a
     * repeated {@code clientId}). Throws {@link WalletRefusal} when refused; nothing changed then.
     */
    public Withdrawal requestWithdrawal(WithdrawalRequest r) throws Exception {
        String ccy = r.asset().code();
        if (r.clientId() != null) {
            Optional<Withdrawal> earlier = byClientId(r.userId(), r.clientId());
            if (earlier.isPresent()) {
                return sameRequest(earlier.get(), r);
            }
        }
        Optional<WalletPolicy> found = policies.get(ccy);
        if (found.isEmpty()) {
            throw refuse(ccy, "disabled", "58013", "Withdrawals of " + ccy + " are not supported");
        }
        WalletPolicy p = found.get();
        if (!p.withdrawalsEnabled()) {
            throw refuse(ccy, "disabled", "58214", "Withdrawals of " + ccy + " are suspended");
        }
        String block = controls.withdrawalBlock(r.userId(), ccy);
        if (block != null) {
            throw refuse(ccy, "blocked", "58204", "Withdrawal suspended: " + block);
        }
        String chainName = chain.chain(ccy);
        if (r.chain() != null && !r.chain().equals(chainName)) {
            throw refuse(ccy, "bad_param", "58010", "Chain " + r.chain() + " isn't supported (" + ccy + " withdraws on "
                    + chainName + ")");
        }
        int s = r.asset().scale();
        if (r.fee() != null && r.fee() != p.withdrawalFee()) {
            throw refuse(ccy, "bad_param", "51000", "Parameter fee error: the withdrawal fee of " + ccy + " is "
                    + Decimals.format(p.withdrawalFee(), s));
        }
        if (r.amount() < p.minWithdrawal()) {
            throw refuse(ccy, "min_amount", "58206", "Withdrawal amount is less than the lower limit of "
                    + Decimals.format(p.minWithdrawal(), s) + " " + ccy);
        }
        if (r.amount() > p.maxWithdrawal()) {
            throw refuse(ccy, "max_amount", "58205", "Withdrawal amount exceeds the upper limit of "
                    + Decimals.format(p.maxWithdrawal(), s) + " " + ccy);
        }
        Long addedAt = whitelistedAt(r.userId(), ccy, r.toAddr());
        if (p.whitelistRequired() && addedAt == null) {
            throw refuse(ccy, "whitelist", "58207", "Withdrawal address isn't on the verified address list.");
        }
        long now = clock.millis();
        if (addedAt != null && now < addedAt + p.cooldownMillis()) {
            long left = (addedAt + p.cooldownMillis() - now + 999) / 1000;
            throw refuse(ccy, "cooldown", "58219", "Withdrawals to a newly added address are locked for "
                    + p.cooldownMillis() / 1000 + " s after it was added; " + left + " s left");
        }
        long total;
        try {
            total = Math.addExact(r.amount(), p.withdrawalFee());
        } catch (ArithmeticException e) {
            throw refuse(ccy, "bad_param", "51000", "Parameter amt error");
        }
        boolean review = r.amount() > p.reviewThreshold();
        try {
            long wdId = inTransaction(c -> {
                // the user's balance row is the lock that serializes this user's withdrawals of the asset, so
                // two concurrent requests cannot both fit under the daily limit
                try (PreparedStatement ps = c.prepareStatement("SELECT available FROM balances WHERE account_id = ? AND asset_id = ? FOR UPDATE")) {
                    ps.setLong(1, r.userId());
                    ps.setInt(2, r.asset().id());
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            throw refuse(ccy, "insufficient", "58350", "Insufficient balance.");
                        }
                    }
                }
                long used = withdrawnSince(c, r.userId(), ccy, now - DAY_MILLIS);
                if (used + r.amount() > p.dailyLimit()) {
                    throw refuse(ccy, "daily_limit", "58201", "Withdrawal amount exceeds daily withdrawal limit ("
                            + Decimals.format(p.dailyLimit(), s) + " " + ccy + " per 24 h; "
                            + Decimals.format(Math.max(0, p.dailyLimit() - used), s) + " left)");
                }
                long id;
                try (PreparedStatement ps = c.prepareStatement("SELECT nextval('wallet_ids')"); ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO wallet_withdrawals (wd_id, user_id, asset, chain, to_addr, "
                        + "amount, fee, client_id, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    ps.setLong(1, id);
                    ps.setLong(2, r.userId());
                    ps.setString(3, ccy);
                    ps.setString(4, chainName);
                    ps.setString(5, r.toAddr());
                    ps.setLong(6, r.amount());
                    ps.setLong(7, p.withdrawalFee());
                    if (r.clientId() == null) {
                        ps.setNull(8, Types.VARCHAR);
                    } else {
                        ps.setString(8, r.clientId());
                    }
                    ps.setString(9, (review ? Withdrawal.State.PENDING_REVIEW : Withdrawal.State.APPROVED).name());
                    ps.setLong(10, now);
                    ps.setLong(11, now);
                    ps.executeUpdate();
                }
                try {
                    post(c, wdKey(id, "hold"), "WD_HOLD", r.asset().id(), new Leg(r.userId(), false, -total),
                            new Leg(r.userId(), true, total));
                } catch (Refused e) {
                    throw refuse(ccy, "insufficient", "58350", "Insufficient balance: amount plus the fee of "
                            + Decimals.format(p.withdrawalFee(), s) + " " + ccy + " is more than available");
                }
                return id;
            });
            Withdrawal w = withdrawal(wdId).orElseThrow();
            LOG.info(() -> "wallet: withdrawal " + wdId + " of " + Decimals.format(r.amount(), s) + " " + ccy + " by "
                    + r.userId() + " accepted" + (review ? ", waits for review" : ""));
            return w;
        } catch (SQLException e) {
            if (r.clientId() != null && Ledger.isUniqueViolation(e)) { // the same clientId raced in
                Optional<Withdrawal> earlier = byClientId(r.userId(), r.clientId());
                if (earlier.isPresent()) {
                    return sameRequest(earlier.get(), r);
                }
            }
            throw e;
        }
    }

    private Withdrawal sameRequest(Withdrawal earlier, WithdrawalRequest r) {
        if (!earlier.asset().equals(r.asset().code()) || earlier.amount() != r.amount() || !earlier.toAddr().equals(r.toAddr())) {
            throw refuse(r.asset().code(), "bad_param", "51000", "Parameter clientId error: " + r.clientId()
                    + " was used for withdrawal " + earlier.wdId() + " with other parameters");
        }
        return earlier;
    }

    private static long withdrawnSince(Connection c, long userId, String asset, long since) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(SUM(amount), 0) FROM wallet_withdrawals WHERE user_id = ? "
                + "AND asset = ? AND created_at > ? AND state NOT IN ('FAILED', 'CANCELED', 'REJECTED')")) {
            ps.setLong(1, userId);
            ps.setString(2, asset);
            ps.setLong(3, since);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Trader cancel: only before broadcast. */
    public Withdrawal cancel(long userId, long wdId) throws SQLException {
        Optional<Withdrawal> w = withdrawal(wdId);
        if (w.isEmpty() || w.get().userId() != userId) {
            throw refuse(null, "unknown", "58215", "Withdrawal ID does not exist.");
        }
        Withdrawal before = w.get();
        boolean done = release(before, Withdrawal.State.CANCELED, null, null);
        if (!done) {
            Withdrawal now = withdrawal(wdId).orElseThrow();
            if (now.state() == Withdrawal.State.CANCELED) {
                throw refuse(now.asset(), "not_cancellable", "58220", "Withdrawal request already canceled.");
            }
            throw refuse(now.asset(), "not_cancellable", "58216", "Operation not allowed: withdrawal " + wdId + " is "
                    + now.state().name().toLowerCase(java.util.Locale.ROOT));
        }
        return withdrawal(wdId).orElseThrow();
    }

    /** Operator rejection of a withdrawal before broadcast (audited). */
    public Withdrawal reject(long wdId, String reason, String actor, String requestId) throws SQLException {
        Withdrawal before = withdrawal(wdId).orElseThrow(() -> refuse(null, "unknown", "58215", "Withdrawal ID does not exist."));
        if (!release(before, Withdrawal.State.REJECTED, reason, new AuditRecord(actor, "wallet.withdrawal.reject",
                "withdrawal:" + wdId, json(before).toString(), null, requestId))) {
            throw refuse(before.asset(), "not_reviewable", "58216", "Operation not allowed: withdrawal " + wdId + " is "
                    + withdrawal(wdId).orElseThrow().state().name().toLowerCase(java.util.Locale.ROOT));
        }
        return withdrawal(wdId).orElseThrow();
    }

    /** Returns the held funds and ends the withdrawal in {@code to}; false if it was no longer before broadcast. */
    private boolean release(Withdrawal w, Withdrawal.State to, String note, AuditRecord auditRecord) throws SQLException {
        Asset a = asset(w.asset());
        long total = w.amount() + w.fee();
        return inTransaction(c -> {
            if (update(c, "UPDATE wallet_withdrawals SET state = ?, note = ?, updated_at = ? WHERE wd_id = ? "
                    + "AND state IN ('PENDING_REVIEW', 'APPROVED')", to.name(), note, clock.millis(), w.wdId()) != 1) {
                return false;
            }
            post(c, wdKey(w.wdId(), "release"), "WD_RELEASE", a.id(), new Leg(w.userId(), true, -total),
                    new Leg(w.userId(), false, total));
            if (auditRecord != null) {
                Withdrawal after = read(c, w.wdId()).orElseThrow();
                audit.append(c, new AuditRecord(auditRecord.actor(), auditRecord.action(), auditRecord.target(),
                        auditRecord.before(), json(after).toString(), auditRecord.requestId()));
            }
            return true;
        });
    }

    /** Operator approval of a withdrawal waiting for review (audited); it then waits for payout. */
    public Withdrawal approve(long wdId, String actor, String requestId) throws SQLException {
        Withdrawal before = withdrawal(wdId).orElseThrow(() -> refuse(null, "unknown", "58215", "Withdrawal ID does not exist."));
        boolean done = inTransaction(c -> {
            if (update(c, "UPDATE wallet_withdrawals SET state = 'APPROVED', reviewed = TRUE, reviewed_by = ?, updated_at = ? "
                    + "WHERE wd_id = ? AND state = 'PENDING_REVIEW'", actor, clock.millis(), wdId) != 1) {
                return false;
            }
            Withdrawal after = read(c, wdId).orElseThrow();
            audit.append(c, new AuditRecord(actor, "wallet.withdrawal.approve", "withdrawal:" + wdId,
                    json(before).toString(), json(after).toString(), requestId));
            return true;
        });
        if (!done) {
            throw refuse(before.asset(), "not_reviewable", "58216", "Operation not allowed: withdrawal " + wdId + " is "
                    + withdrawal(wdId).orElseThrow().state().name().toLowerCase(java.util.Locale.ROOT) + ", not waiting for review");
        }
        return withdrawal(wdId).orElseThrow();
    }

    /**
     * Advances payouts: broadcasts approved withdrawals that no switch holds back, hands the chain those
     * broadcast but without a tx id (a crash between the two), and settles confirmed or failed ones.
     * Returns how many withdrawals changed state.
     */
    public int processPayouts() throws Exception {
        int changed = 0;
        for (Withdrawal w : withdrawals("WHERE state = 'APPROVED' ORDER BY wd_id", List.of(), 200)) {
            if (broadcast(w)) {
                changed++;
            }
        }
        for (Withdrawal w : withdrawals("WHERE state = 'BROADCAST' ORDER BY wd_id", List.of(), 1000)) {
            if (w.txId() == null) {
                sendToChain(w);
                continue;
            }
            if (settle(w)) {
                changed++;
            }
        }
        return changed;
    }

    private boolean broadcast(Withdrawal w) throws Exception {
        // checked right before the money leaves: a halt or a disabled policy keeps it approved, not broadcast
        String block = controls.withdrawalBlock(w.userId(), w.asset());
        Optional<WalletPolicy> p = policies.get(w.asset());
        if (block != null || p.isEmpty() || !p.get().withdrawalsEnabled()) {
            LOG.fine(() -> "wallet: withdrawal " + w.wdId() + " held back: " + (block != null ? block : "withdrawals disabled"));
            return false;
        }
        Asset a = asset(w.asset());
        boolean claimed = inTransaction(c -> {
            if (update(c, "UPDATE wallet_withdrawals SET state = 'BROADCAST', updated_at = ? WHERE wd_id = ? AND state = 'APPROVED'",
                    clock.millis(), w.wdId()) != 1) {
                return false;
            }
            List<Leg> legs = new ArrayList<>(List.of(new Leg(w.userId(), true, -(w.amount() + w.fee())),
                    new Leg(SystemAccounts.WITHDRAWALS_IN_TRANSIT, false, w.amount())));
            if (w.fee() > 0) {
                legs.add(new Leg(SystemAccounts.WALLET_FEES, false, w.fee()));
            }
            return post(c, wdKey(w.wdId(), "broadcast"), "WD_BROADCAST", a.id(), legs.toArray(Leg[]::new));
        });
        if (claimed) {
            sendToChain(w);
        }
        return claimed;
    }

    private void sendToChain(Withdrawal w) throws Exception {
        String txId = chain.broadcast(w.wdId(), w.asset(), w.toAddr(), w.amount());
        try (Connection c = db.connection()) {
            update(c, "UPDATE wallet_withdrawals SET tx_id = ?, updated_at = ? WHERE wd_id = ? AND tx_id IS NULL",
                    txId, clock.millis(), w.wdId());
        }
        LOG.info(() -> "wallet: withdrawal " + w.wdId() + " broadcast as " + txId);
    }

    private boolean settle(Withdrawal w) throws Exception {
        ChainAdapter.PayoutStatus st = chain.payoutStatus(w.wdId());
        if (st == null) {
            LOG.warning(() -> "wallet: withdrawal " + w.wdId() + " has tx " + w.txId() + " but the chain does not know it");
            return false;
        }
        Asset a = asset(w.asset());
        if (st.failed()) {
            boolean done = inTransaction(c -> {
                if (update(c, "UPDATE wallet_withdrawals SET state = 'FAILED', note = ?, updated_at = ? WHERE wd_id = ? "
                        + "AND state = 'BROADCAST'", "payout failed on chain", clock.millis(), w.wdId()) != 1) {
                    return false;
                }
                List<Leg> legs = new ArrayList<>(List.of(new Leg(SystemAccounts.WITHDRAWALS_IN_TRANSIT, false, -w.amount()),
                        new Leg(w.userId(), false, w.amount() + w.fee())));
                if (w.fee() > 0) {
                    legs.add(new Leg(SystemAccounts.WALLET_FEES, false, -w.fee()));
                }
                return post(c, wdKey(w.wdId(), "fail"), "WD_FAIL", a.id(), legs.toArray(Leg[]::new));
            });
            if (done) {
                payoutCounter(w.asset(), "failed").increment();
                payoutFailures.computeIfAbsent(w.asset(), k -> Counter.builder("bourse_wallet_payout_failures_total")
                        .description("Payouts that failed on chain (funds returned to the user)")
                        .tag("asset", k).register(meters)).increment();
                LOG.warning(() -> "wallet: payout of withdrawal " + w.wdId() + " failed; funds returned to " + w.userId());
            }
            return done;
        }
        long needed = Math.max(1, policies.get(w.asset()).map(WalletPolicy::confirmations).orElse(1));
        if (st.confirmations() < needed) {
            return false;
        }
        boolean done = inTransaction(c -> {
            if (update(c, "UPDATE wallet_withdrawals SET state = 'CONFIRMED', updated_at = ? WHERE wd_id = ? AND state = 'BROADCAST'",
                    clock.millis(), w.wdId()) != 1) {
                return false;
            }
            return post(c, wdKey(w.wdId(), "confirm"), "WD_CONFIRM", a.id(),
                    new Leg(SystemAccounts.WITHDRAWALS_IN_TRANSIT, false, -w.amount()),
                    new Leg(SystemAccounts.EXTERNAL, false, w.amount()));
        });
        if (done) {
            payoutCounter(w.asset(), "confirmed").increment();
        }
        return done;
    }

    private Counter payoutCounter(String asset, String result) {
        return payouts.computeIfAbsent(asset + "|" + result, k -> Counter.builder("bourse_wallet_payouts_total")
                .description("Payouts settled, by result").tag("asset", asset).tag("result", result).register(meters));
    }

    static String wdKey(long wdId, String step) {
        return "wallet:wd:" + wdId + ":" + step;
    }

    public Optional<Withdrawal> withdrawal(long wdId) throws SQLException {
        try (Connection c = db.connection()) {
            return read(c, wdId);
        }
    }

    private Optional<Withdrawal> read(Connection c, long wdId) throws SQLException {
        List<Withdrawal> l = withdrawals(c, "WHERE wd_id = ?", List.of(wdId), 1);
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    private Optional<Withdrawal> byClientId(long userId, String clientId) throws SQLException {
        List<Withdrawal> l = withdrawals("WHERE user_id = ? AND client_id = ?", List.of(userId, clientId), 1);
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    /** Withdrawals matching a WHERE clause (over the columns of {@code wallet_withdrawals}). */
    public List<Withdrawal> withdrawals(String whereOrderBy, List<Object> args, int limit) throws SQLException {
        try (Connection c = db.connection()) {
            return withdrawals(c, whereOrderBy, args, limit);
        }
    }

    private static List<Withdrawal> withdrawals(Connection c, String whereOrderBy, List<Object> args, int limit)
            throws SQLException {
        List<Withdrawal> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT wd_id, user_id, asset, chain, to_addr, amount, fee, client_id, state, "
                + "reviewed, reviewed_by, tx_id, note, created_at, updated_at FROM wallet_withdrawals " + whereOrderBy
                + " LIMIT " + limit)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Withdrawal(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getLong(6), rs.getLong(7), rs.getString(8), Withdrawal.State.valueOf(rs.getString(9)),
                            rs.getBoolean(10), rs.getString(11), rs.getString(12), rs.getString(13), rs.getLong(14),
                            rs.getLong(15)));
                }
            }
        }
        return out;
    }

    /** The admin view of a withdrawal (amounts as decimals). */
    public ObjectNode json(Withdrawal w) throws SQLException {
        Asset a = asset(w.asset());
        int s = a == null ? 0 : a.scale();
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("wdId", Long.toString(w.wdId()));
        n.put("userId", Long.toString(w.userId()));
        n.put("ccy", w.asset());
        n.put("chain", w.chain());
        n.put("toAddr", w.toAddr());
        n.put("amt", Decimals.format(w.amount(), s));
        n.put("fee", Decimals.format(w.fee(), s));
        n.put("clientId", w.clientId() == null ? "" : w.clientId());
        n.put("state", w.state().name().toLowerCase(java.util.Locale.ROOT));
        n.put("okxState", w.okxState());
        n.put("reviewedBy", w.reviewedBy() == null ? "" : w.reviewedBy());
        n.put("txId", w.txId() == null ? "" : w.txId());
        n.put("note", w.note() == null ? "" : w.note());
        n.put("cTime", Long.toString(w.createdAt()));
        n.put("uTime", Long.toString(w.updatedAt()));
        return n;
    }

    // ------------------------------------------------------------------ whitelist

    public record WhitelistEntry(long userId, String asset, String address, long addedAt, String addedBy) {
    }

    /** Adds an address (audited); adding one already listed changes nothing and keeps its cooldown start. */
    public WhitelistEntry addToWhitelist(long userId, String asset, String address, String actor, String requestId)
            throws SQLException {
        Optional<WhitelistEntry> have = whitelistEntry(userId, asset, address);
        if (have.isPresent()) {
            return have.get();
        }
        long now = clock.millis();
        try {
            inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO wallet_whitelist (user_id, asset, address, added_at, added_by) "
                        + "VALUES (?, ?, ?, ?, ?)")) {
                    ps.setLong(1, userId);
                    ps.setString(2, asset);
                    ps.setString(3, address);
                    ps.setLong(4, now);
                    ps.setString(5, actor);
                    ps.executeUpdate();
                }
                audit.append(c, new AuditRecord(actor, "wallet.whitelist.add", "whitelist:" + userId + ":" + asset, null,
                        whitelistJson(new WhitelistEntry(userId, asset, address, now, actor)).toString(), requestId));
                return true;
            });
        } catch (SQLException e) {
            if (!Ledger.isUniqueViolation(e)) {
                throw e;
            }
        }
        return whitelistEntry(userId, asset, address).orElseThrow();
    }

    /** Removes an address (audited); returns whether it was listed. */
    public boolean removeFromWhitelist(long userId, String asset, String address, String actor, String requestId)
            throws SQLException {
        Optional<WhitelistEntry> have = whitelistEntry(userId, asset, address);
        if (have.isEmpty()) {
            return false;
        }
        return inTransaction(c -> {
            if (update(c, "DELETE FROM wallet_whitelist WHERE user_id = ? AND asset = ? AND address = ?", userId, asset, address) != 1) {
                return false;
            }
            audit.append(c, new AuditRecord(actor, "wallet.whitelist.remove", "whitelist:" + userId + ":" + asset,
                    whitelistJson(have.get()).toString(), null, requestId));
            return true;
        });
    }

    public List<WhitelistEntry> whitelist(long userId) throws SQLException {
        List<WhitelistEntry> out = new ArrayList<>();
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT user_id, asset, address, added_at, added_by FROM wallet_whitelist "
                     + "WHERE user_id = ? ORDER BY asset, address")) {
            ps.setLong(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new WhitelistEntry(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getString(5)));
                }
            }
        }
        return out;
    }

    private Optional<WhitelistEntry> whitelistEntry(long userId, String asset, String address) throws SQLException {
        return whitelist(userId).stream().filter(e -> e.asset().equals(asset) && e.address().equals(address)).findFirst();
    }

    private Long whitelistedAt(long userId, String asset, String address) throws SQLException {
        return whitelistEntry(userId, asset, address).map(WhitelistEntry::addedAt).orElse(null);
    }

    public static ObjectNode whitelistJson(WhitelistEntry e) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("userId", Long.toString(e.userId()));
        n.put("ccy", e.asset());
        n.put("addr", e.address());
        n.put("addedAt", Long.toString(e.addedAt()));
        n.put("addedBy", e.addedBy());
        return n;
    }

    /** Audits a change made outside the database (the simulated chain's controls). */
    void auditAction(AuditRecord r) throws SQLException {
        inTransaction(c -> {
            audit.append(c, r);
            return true;
        });
    }

    // ------------------------------------------------------------------ gauges

    /** Recomputes the pending gauges and the on-chain difference of every listed asset. */
    public void refreshGauges() throws Exception {
        assets = listing.assets();
        Map<String, long[]> pending = new java.util.HashMap<>();
        try (Connection c = db.connection()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT asset, COUNT(*), COALESCE(SUM(amount), 0) FROM wallet_deposits "
                    + "WHERE state = 'PENDING' GROUP BY asset"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    pending.computeIfAbsent(rs.getString(1), k -> new long[4])[0] = rs.getLong(2);
                    pending.get(rs.getString(1))[3] = rs.getLong(3);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT asset, state, COUNT(*) FROM wallet_withdrawals "
                    + "WHERE state IN ('PENDING_REVIEW', 'APPROVED', 'BROADCAST') GROUP BY asset, state");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long[] v = pending.computeIfAbsent(rs.getString(1), k -> new long[4]);
                    v["PENDING_REVIEW".equals(rs.getString(2)) ? 1 : 2] += rs.getLong(3);
                }
            }
            for (Asset a : assets.values()) {
                long[] v = pending.getOrDefault(a.code(), new long[4]);
                gauge("bourse_wallet_deposits_pending", "Deposits seen on chain and not credited yet", a.code(), null).value = v[0];
                gauge("bourse_wallet_withdrawals_pending", "Withdrawals waiting, by stage (review, payout)", a.code(), "review")
                        .value = v[1];
                gauge("bourse_wallet_withdrawals_pending", "Withdrawals waiting, by stage (review, payout)", a.code(), "payout")
                        .value = v[2];
                long expected = onChainPerLedger(c, a, v[3]);
                long hot = chain.hotWalletBalance(a.code());
                gauge("bourse_wallet_onchain_difference",
                        "Hot-wallet balance on chain minus what the ledger says the exchange holds on chain (asset units)",
                        a.code(), null).value = Decimals.toBigDecimal(hot - expected, a.scale()).doubleValue();
            }
        }
    }

    /**
     * What the ledger says the hot wallet holds: deposits credited by the wallet minus payouts it
     * settled (the external account's wallet postings, negated), minus payouts in transit (already sent
     * from the hot wallet), plus deposits recorded but not credited yet (already in the hot wallet).
     */
    private static long onChainPerLedger(Connection c, Asset a, long pendingDeposits) throws SQLException {
        long external;
        try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(SUM(amount), 0) FROM ledger_entries WHERE account_id = ? "
                + "AND asset_id = ? AND posting_key LIKE 'wallet:%'")) {
            ps.setLong(1, SystemAccounts.EXTERNAL);
            ps.setInt(2, a.id());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                external = rs.getLong(1);
            }
        }
        long inTransit;
        try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(SUM(available + held), 0) FROM balances "
                + "WHERE account_id = ? AND asset_id = ?")) {
            ps.setLong(1, SystemAccounts.WITHDRAWALS_IN_TRANSIT);
            ps.setInt(2, a.id());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                inTransit = rs.getLong(1);
            }
        }
        return -external - inTransit + pendingDeposits;
    }

    private GaugeValue gauge(String name, String description, String asset, String stage) {
        String key = name + "|" + asset + "|" + stage;
        return gauges.computeIfAbsent(key, k -> {
            GaugeValue l = new GaugeValue();
            Gauge.Builder<GaugeValue> b = Gauge.builder(name, l, x -> x.value).description(description).tag("asset", asset);
            if (stage != null) {
                b.tag("stage", stage);
            }
            b.register(meters);
            return l;
        });
    }

    // ------------------------------------------------------------------ ledger and SQL helpers

    /** One leg: account, bucket (held or available), signed amount. */
    record Leg(long accountId, boolean held, long amount) {
    }

    /** A balance would go below zero: the transaction must roll back. */
    static final class Refused extends RuntimeException {
        Refused(String msg) {
            super(msg, null, false, false);
        }
    }

    /**
     * Writes one balanced posting set and applies it to the balance rows on {@code c}. Returns false,
     * changing nothing, if a set with this key exists; throws {@link Refused} if a balance would go negative.
     */
    static boolean post(Connection c, String key, String kind, int assetId, Leg... legs) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM ledger_entries WHERE posting_key = ? AND leg = 0")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return false;
                }
            }
        }
        long sum = 0;
        List<LedgerEntry> entries = new ArrayList<>(legs.length);
        BalanceDeltas deltas = new BalanceDeltas();
        for (int i = 0; i < legs.length; i++) {
            Leg l = legs[i];
            sum = Math.addExact(sum, l.amount());
            LedgerEntry e = new LedgerEntry(key, i, kind, l.accountId(), assetId, l.held() ? "held" : "available", l.amount(),
                    null, null, null);
            entries.add(e);
            deltas.add(e);
        }
        if (sum != 0) {
            throw new IllegalStateException("posting set " + key + " does not balance: " + sum);
        }
        LedgerWriter.insert(c, entries);
        List<BalanceDeltas.Key> refused = BalanceWriter.apply(c, deltas);
        if (!refused.isEmpty()) {
            throw new Refused("posting " + key + " refused for " + refused);
        }
        return true;
    }

    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code work} in one transaction; any exception rolls it back and is rethrown. */
    <T> T inTransaction(Work<T> work) throws SQLException {
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try {
                T t = work.run(c);
                c.commit();
                return t;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, java.util.Arrays.asList(args));
            return ps.executeUpdate();
        }
    }

    private static void bind(PreparedStatement ps, List<Object> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            Object v = args.get(i);
            if (v == null) {
                ps.setNull(i + 1, Types.VARCHAR);
            } else if (v instanceof Long l) {
                ps.setLong(i + 1, l);
            } else if (v instanceof Integer n) {
                ps.setInt(i + 1, n);
            } else {
                ps.setString(i + 1, v.toString());
            }
        }
    }

    static void logQuietly(String what, Exception e) {
        LOG.log(java.util.logging.Level.WARNING, what, e);
    }
}
