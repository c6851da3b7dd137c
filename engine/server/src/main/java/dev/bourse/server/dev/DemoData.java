package dev.bourse.server.dev;

import dev.bourse.asset.Asset;
import dev.bourse.fixed.Decimals;
import dev.bourse.server.auth.ApiKeyInfo;
import dev.bourse.server.auth.ApiKeyRecord;
import dev.bourse.server.auth.ApiKeyStore;
import dev.bourse.server.auth.CreatedApiKey;
import dev.bourse.server.auth.IpAllowlist;
import dev.bourse.server.auth.NewApiKey;
import dev.bourse.server.auth.PassphraseHasher;
import dev.bourse.server.auth.Permission;
import dev.bourse.server.auth.SecretBox;
import dev.bourse.server.ledger.Ledger;
import dev.bourse.server.listing.InstrumentSpec;
import dev.bourse.server.listing.Listing;

import java.security.GeneralSecurityException;
import java.sql.SQLException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Demo instruments and funded demo accounts for the dev profile, so a new user can trade at once.
 * Idempotent: the instruments are listed once, and the deposits carry fixed keys, so restarting the
 * dev engine does not fund the accounts again. Funding goes through the ledger like any deposit.
 * {@link #installApiKeys} gives each demo user a trade-enabled API key and returns its credentials.
 */
public final class DemoData {
    private static final Logger LOG = Logger.getLogger(DemoData.class.getName());
    public static final List<String> USERS = List.of("demo-alice", "demo-bob");
    /** Label of the demo users' API key; the key is looked up by it on restart. */
    public static final String API_KEY_LABEL = "demo";
    static final String ACTOR = "dev-seed";

    /** Everything a client needs to sign requests as a demo user. */
    public record DemoCredentials(String user, long userId, String apiKey, String secretKey, String passphrase) {
        @Override
        public String toString() {
            return user + " (" + userId + "): apiKey=" + apiKey + " secretKey=" + secretKey + " passphrase=" + passphrase;
        }
    }

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

    /**
     * Gives each demo user (name -> account id, as {@link #install} returns) one trade-enabled API key
     * labelled {@value #API_KEY_LABEL}, unless it has one already, and returns the credentials of each.
     * The passphrase is derived from {@code AUTH_TOKEN_SECRET} (through {@code box}) so that a restart can
     * show it again without storing it; the secret is opened from its sealed copy. A demo key sealed
     * under another {@code AUTH_TOKEN_SECRET} (a dev run without a fixed secret) is revoked and replaced.
     * Creations and revocations are audited with actor {@value #ACTOR}.
     */
    public static Map<String, DemoCredentials> installApiKeys(ApiKeyStore keys, SecretBox box, Map<String, Long> users)
            throws SQLException {
        Map<String, DemoCredentials> out = new LinkedHashMap<>();
        for (Map.Entry<String, Long> u : users.entrySet()) {
            String passphrase = demoPassphrase(box, u.getKey());
            DemoCredentials found = null;
            for (ApiKeyInfo k : keys.list(u.getValue())) {
                if (!k.usable(keys.nowMillis()) || !API_KEY_LABEL.equals(k.label())) {
                    continue;
                }
                Optional<ApiKeyRecord> rec = keys.lookup(k.apiKey());
                String secret = rec.isEmpty() ? null : openable(keys, rec.get(), passphrase);
                if (secret != null && found == null) {
                    found = new DemoCredentials(u.getKey(), u.getValue(), k.apiKey(), secret, passphrase);
                } else if (secret == null) {
                    LOG.warning(() -> "demo API key " + k.apiKey() + " of " + u.getKey()
                            + " was made under another AUTH_TOKEN_SECRET; revoking it and creating a new one");
                    keys.revoke(k.apiKey(), ACTOR);
                }
            }
            if (found == null) {
                CreatedApiKey created = keys.create(new NewApiKey(u.getValue(), API_KEY_LABEL, passphrase,
                        Set.of(Permission.READ, Permission.TRADE, Permission.WITHDRAW), IpAllowlist.ANY), ACTOR);
                found = new DemoCredentials(u.getKey(), u.getValue(), created.info().apiKey(), created.secretKey(),
                        passphrase);
            }
            out.put(u.getKey(), found);
        }
        return out;
    }

    /** The start-up banner lines for the demo credentials (dev profile only: it prints secrets). */
    public static String describe(Map<String, DemoCredentials> credentials) {
        StringBuilder sb = new StringBuilder("demo API keys (trade-enabled; sign as OKX V5: OK-ACCESS-KEY / -SIGN / "
                + "-TIMESTAMP / -PASSPHRASE):");
        for (DemoCredentials c : credentials.values()) {
            sb.append("\n  ").append(c);
        }
        return sb.toString();
    }

    /** 8-32 characters with upper, lower, digit and special, as OKX requires; stable per secret and user. */
    static String demoPassphrase(SecretBox box, String user) {
        byte[] d = box.derive("bourse/dev/demo-passphrase/" + user, 9);
        return "Demo-" + Base64.getUrlEncoder().withoutPadding().encodeToString(d) + "-0";
    }

    private static String openable(ApiKeyStore keys, ApiKeyRecord rec, String passphrase) {
        try {
            String secret = keys.secret(rec);
            return PassphraseHasher.matches(passphrase, rec.passphrase()) ? secret : null;
        } catch (GeneralSecurityException e) {
            return null;
        }
    }
}
