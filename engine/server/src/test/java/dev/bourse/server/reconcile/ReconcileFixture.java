package dev.bourse.server.reconcile;

import dev.bourse.asset.Asset;
import dev.bourse.instrument.Instrument;
import dev.bourse.order.OrderState;
import dev.bourse.order.Side;
import dev.bourse.server.ledger.BalanceDeltas;
import dev.bourse.server.ledger.BalanceWriter;
import dev.bourse.server.ledger.Ledger;
import dev.bourse.server.ledger.LedgerEntry;
import dev.bourse.server.ledger.LedgerWriter;
import dev.bourse.server.ledger.SystemAccounts;
import dev.bourse.server.listing.InstrumentSpec;
import dev.bourse.server.listing.Listing;
import dev.bourse.server.store.Database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A small, fully consistent exchange state written the way the engine would have written it:
 * deposits through {@link Ledger}, orders and fills as rows, and every hold, fill and release as a
 * balanced posting set applied to the balance rows in the same transaction.
 *
 * <ul>
 *   <li>order 1: alice sells 1 BTC at 50000, live, holding 1 BTC;</li>
 *   <li>order 2: bob buys 0.5 BTC at 49000, live, holding 24500 USDT;</li>
 *   <li>order 3: carol sells 0.3 BTC at 50000, partially filled (0.1), holding the remaining 0.2 BTC;</li>
 *   <li>order 4: bob buys 0.1 BTC at 50000, filled by trade 1 against order 3 (taker fee 0.0001 BTC);</li>
 *   <li>order 5: carol buys 0.1 BTC at 48000, canceled: held, then released.</li>
 * </ul>
 */
final class ReconcileFixture {
    static final String INST = "BTC-USDT";
    static final long LOT = 10_000; // 0.0001 BTC
    static final long LIVE_SELL = 1, LIVE_BUY = 2, PARTIAL_SELL = 3, FILLED_BUY = 4, CANCELED_BUY = 5;

    final Database db;
    final Ledger ledger;
    final Asset btc;
    final Asset usdt;
    final Instrument instrument;
    final long alice;
    final long bob;
    final long carol;

    private ReconcileFixture(Database db, Ledger ledger, Asset btc, Asset usdt, Instrument instrument, long alice,
                             long bob, long carol) {
        this.db = db;
        this.ledger = ledger;
        this.btc = btc;
        this.usdt = usdt;
        this.instrument = instrument;
        this.alice = alice;
        this.bob = bob;
        this.carol = carol;
    }

    /** One leg of a posting set. */
    record Leg(long account, Asset asset, String bucket, long amount) {
    }

    static Leg available(long account, Asset asset, long amount) {
        return new Leg(account, asset, "available", amount);
    }

    static Leg held(long account, Asset asset, long amount) {
        return new Leg(account, asset, "held", amount);
    }

    static ReconcileFixture seed(Database db) throws SQLException {
        Ledger ledger = new Ledger(db);
        ledger.ensureSystemAccounts(1);
        Listing listing = new Listing(db);
        Asset btc = listing.addAsset("BTC", 8);
        Asset usdt = listing.addAsset("USDT", 6);
        InstrumentSpec spec = new InstrumentSpec(INST, "BTC", "USDT", "0.1", "0.0001", "0.0001", "100", 0, "50000",
                0, 0, "0", "0.001");
        listing.addInstrument(spec, 0);
        Instrument ins = spec.toInstrument(Map.of("BTC", btc, "USDT", usdt));
        ReconcileFixture f = new ReconcileFixture(db, ledger, btc, usdt, ins, ledger.createUser("alice"),
                ledger.createUser("bob"), ledger.createUser("carol"));
        f.trade();
        return f;
    }

    private void trade() throws SQLException {
        ledger.deposit("alice-btc", alice, btc.id(), 10 * 100_000_000L);
        ledger.deposit("bob-usdt", bob, usdt.id(), 1_000_000L * 1_000_000L);
        ledger.deposit("carol-btc", carol, btc.id(), 100_000_000L);

        long px = 500_000; // 50000.0
        // order 1: a live sell holds its remaining size in base
        order(LIVE_SELL, alice, Side.SELL, OrderState.LIVE, px, 100_000_000, 0, 0, 100_000_000, 100_000_000, 0);
        post("hold:1", "HOLD", LIVE_SELL, null, available(alice, btc, -100_000_000), held(alice, btc, 100_000_000));

        // order 2: a live buy holds the quote amount of its remaining size at its price
        long buyPx = 490_000;
        long buyHeld = instrument.quoteAmount(buyPx, 50_000_000);
        order(LIVE_BUY, bob, Side.BUY, OrderState.LIVE, buyPx, 50_000_000, 0, 0, 50_000_000, buyHeld, 0);
        post("hold:2", "HOLD", LIVE_BUY, null, available(bob, usdt, -buyHeld), held(bob, usdt, buyHeld));

        // orders 3 and 4: a resting sell partly filled by a buy that is then filled
        long tradeSz = 10_000_000;
        long quote = instrument.quoteAmount(px, tradeSz);
        long takerFee = tradeSz / 1_000; // 0.1 % of what the buyer receives, in base
        order(PARTIAL_SELL, carol, Side.SELL, OrderState.PARTIALLY_FILLED, px, 30_000_000, tradeSz, quote,
                20_000_000, 20_000_000, 0);
        order(FILLED_BUY, bob, Side.BUY, OrderState.FILLED, px, tradeSz, tradeSz, quote, 0, 0, takerFee);
        post("hold:3", "HOLD", PARTIAL_SELL, null, available(carol, btc, -30_000_000), held(carol, btc, 30_000_000));
        post("hold:4", "HOLD", FILLED_BUY, null, available(bob, usdt, -quote), held(bob, usdt, quote));
        long fees = SystemAccounts.fees(0);
        post("fill:1", "FILL", FILLED_BUY, 1L,
                held(carol, btc, -tradeSz), available(bob, btc, tradeSz - takerFee), available(fees, btc, takerFee),
                held(bob, usdt, -quote), available(carol, usdt, quote));
        sql("INSERT INTO fills (trade_id, shard_id, seq, inst_id, px, sz, quote_amt, taker_side, taker_ord_id, "
                        + "taker_user_id, maker_ord_id, maker_user_id, taker_fee, taker_fee_asset, maker_fee, "
                        + "maker_fee_asset, ts) VALUES (1, 0, 4, ?, ?, ?, ?, 'BUY', ?, ?, ?, ?, ?, ?, 0, ?, 0)",
                INST, px, tradeSz, quote, FILLED_BUY, bob, PARTIAL_SELL, carol, takerFee, btc.id(), usdt.id());

        // order 5: canceled, so what it held went back
        long cancelHeld = instrument.quoteAmount(480_000, tradeSz);
        order(CANCELED_BUY, carol, Side.BUY, OrderState.CANCELED, 480_000, tradeSz, 0, 0, tradeSz, 0, 0);
        post("hold:5", "HOLD", CANCELED_BUY, null, available(carol, usdt, -cancelHeld), held(carol, usdt, cancelHeld));
        post("release:5", "RELEASE", CANCELED_BUY, null, held(carol, usdt, -cancelHeld),
                available(carol, usdt, cancelHeld));
    }

    private void order(long ordId, long user, Side side, OrderState state, long px, long sz, long filled,
                       long filledQuote, long remaining, long held, long fee) throws SQLException {
        sql("INSERT INTO orders (ord_id, shard_id, inst_id, user_id, cl_ord_id, side, ord_type, stp_mode, tgt_ccy, "
                        + "px, sz, filled_sz, filled_quote, remaining_sz, held, fee, state, queue_seq, created_seq, "
                        + "updated_seq, created_at, updated_at) "
                        + "VALUES (?, 0, ?, ?, NULL, ?, 'LIMIT', 'CANCEL_MAKER', 'BASE_CCY', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0)",
                ordId, INST, user, side.name(), px, sz, filled, filledQuote, remaining, held, fee, state.name(),
                ordId, ordId, ordId);
    }

    /**
     * Writes a posting set and applies it to the balance rows in one transaction, as the engine does.
     * The legs need not balance: tests use this to write deliberately broken sets.
     */
    void post(String key, String kind, Long ordId, Long tradeId, Leg... legs) throws SQLException {
        List<LedgerEntry> entries = new ArrayList<>();
        for (Leg leg : legs) {
            entries.add(new LedgerEntry(key, entries.size(), kind, leg.account(), leg.asset().id(), leg.bucket(),
                    leg.amount(), ordId, tradeId, null));
        }
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            LedgerWriter.insert(c, entries);
            BalanceDeltas deltas = new BalanceDeltas();
            entries.forEach(deltas::add);
            List<BalanceDeltas.Key> refused = BalanceWriter.apply(c, deltas);
            if (!refused.isEmpty()) {
                c.rollback();
                throw new IllegalStateException("posting " + key + " refused for " + refused);
            }
            c.commit();
        }
    }

    /** Writes ledger entries only, leaving the balance rows as they are. */
    void journalOnly(String key, String kind, Leg... legs) throws SQLException {
        List<LedgerEntry> entries = new ArrayList<>();
        for (Leg leg : legs) {
            entries.add(new LedgerEntry(key, entries.size(), kind, leg.account(), leg.asset().id(), leg.bucket(),
                    leg.amount(), null, null, null));
        }
        try (Connection c = db.connection()) {
            LedgerWriter.insert(c, entries);
        }
    }

    /** Runs one statement in its own transaction; returns the update count. */
    int sql(String sql, Object... params) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            return ps.executeUpdate();
        }
    }

    long[] balance(long account, Asset asset) throws SQLException {
        return ledger.balance(account, asset.id());
    }

    /** {@code account 10000, asset 0 (BTC), available}: the subject the reconciler uses for a balance bucket. */
    String subject(long account, Asset asset, String part) {
        return "account " + account + ", asset " + asset.id() + " (" + asset.code() + "), " + part;
    }
}
