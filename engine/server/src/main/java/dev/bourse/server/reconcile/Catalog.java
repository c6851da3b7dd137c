package dev.bourse.server.reconcile;

import dev.bourse.asset.Asset;
import dev.bourse.instrument.Instrument;
import dev.bourse.server.listing.InstrumentSpec;
import dev.bourse.server.listing.Listing;

import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * Listed assets and instruments, loaded once per run: the checks need asset codes for readable
 * subjects and the core's {@link Instrument} to compute what a live buy must hold.
 *
 * <p>Assets and instruments are only ever added, never changed or removed, so a catalog loaded after
 * the snapshot began is a superset of what the snapshot can reference.
 */
final class Catalog {
    private final Map<Integer, Asset> assetsById;
    private final Map<String, Instrument> instruments;

    private Catalog(Map<Integer, Asset> assetsById, Map<String, Instrument> instruments) {
        this.assetsById = assetsById;
        this.instruments = instruments;
    }

    static Catalog load(Listing listing) throws SQLException {
        Map<String, Asset> assets = listing.assets();
        Map<Integer, Asset> byId = new HashMap<>();
        assets.values().forEach(a -> byId.put(a.id(), a));
        Map<String, Instrument> instruments = new HashMap<>();
        for (InstrumentSpec spec : listing.instruments()) {
            instruments.put(spec.instId(), spec.toInstrument(assets));
        }
        return new Catalog(byId, instruments);
    }

    /** The instrument listed as {@code instId}, or null. */
    Instrument instrument(String instId) {
        return instruments.get(instId);
    }

    /** {@code asset 0 (BTC)}; just the id for an asset the catalog does not know. */
    String asset(int assetId) {
        Asset a = assetsById.get(assetId);
        return a == null ? "asset " + assetId : "asset " + assetId + " (" + a.code() + ")";
    }

    /** {@code account 10000, asset 0 (BTC)}. */
    String balance(long accountId, int assetId) {
        return "account " + accountId + ", " + asset(assetId);
    }

    /** {@code account 10000, asset 0 (BTC), held}. */
    String balance(long accountId, int assetId, String part) {
        return balance(accountId, assetId) + ", " + part;
    }

    static String order(long ordId) {
        return "order " + ordId;
    }
}
