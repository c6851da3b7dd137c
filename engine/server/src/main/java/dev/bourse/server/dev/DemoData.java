package dev.bourse.server.dev;

import dev.bourse.asset.Asset;
import dev.bourse.fixed.Decimals;
import dev.bourse.server.ledger.Ledger;
import dev.bourse.server.listing.InstrumentSpec;
import dev.bourse.server.listing.Listing;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Demo instruments and funded demo accounts for the dev profile, so a new user can trade at once.
 * Idempotent: the instruments are listed once, and the deposits carry fixed keys, so restarting the
 * dev engine does not fund the accounts again. Funding goes through the ledger like any deposit.
 */
public final class DemoData {
    public static final List<String> USERS = List.of("demo-alice", "demo-bob");

    private DemoData() {
    }

    /** Lists the demo instruments on {@code shardId}; returns demo user name -> account id. */
    public static Map<String, Long> install(Ledger ledger, Listing listing, int shardId) throws SQLException {
        listing.addAsset("BTC", 8);
        listing.addAsset("ETH", 8);
        listing.addAsset("USDT", 6);
        Map<String, Asset> assets = listing.assets();
        var listed = listing.instruments().stream().map(InstrumentSpec::instId).toList();
        List<InstrumentSpec> demo = List.of(
                new InstrumentSpec("BTC-USDT", "BTC", "USDT", "0.1", "0.00001", "0.00001", "1000", 1000, "60000", 2000, 60_000,
                        "0.0008", "0.001"),
                new InstrumentSpec("ETH-USDT", "ETH", "USDT", "0.01", "0.0001", "0.0001", "10000", 1000, "3000", 2000, 60_000,
                        "0.0008", "0.001"));
        for (InstrumentSpec spec : demo) {
            if (!listed.contains(spec.instId())) {
                listing.addInstrument(spec, shardId);
            }
        }
        Map<String, String> funding = new LinkedHashMap<>();
        funding.put("BTC", "10");
        funding.put("ETH", "100");
        funding.put("USDT", "1000000");
        Map<String, Long> users = new LinkedHashMap<>();
        for (String name : USERS) {
            long id = ledger.accountId(name);
            if (id < 0) {
                id = ledger.createUser(name);
            }
            users.put(name, id);
            for (Map.Entry<String, String> f : funding.entrySet()) {
                Asset a = assets.get(f.getKey());
                ledger.deposit("demo:" + name + ":" + a.code(), id, a.id(), Decimals.parse(f.getValue(), a.scale()));
            }
        }
        return users;
    }
}
