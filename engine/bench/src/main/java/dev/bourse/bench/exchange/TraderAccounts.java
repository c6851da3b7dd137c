package dev.bourse.bench.exchange;

import dev.bourse.client.auth.Credentials;

import java.math.BigDecimal;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Sets up trading accounts through the operator APIs: the user (found again by name on a later run), a deposit of
 * each currency (keyed by name, currency and {@code runTag}, so a run tops the account up once however often it
 * retries) and a fresh trade-enabled API key.
 */
public final class TraderAccounts {
    private static final char[] ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final BourseAdmin admin;

    public TraderAccounts(BourseAdmin admin) {
        this.admin = admin;
    }

    public TraderAccount create(String name, Map<String, BigDecimal> funding, String runTag) {
        String userId = admin.createUser(name);
        funding.forEach((ccy, amt) -> admin.deposit(userId, ccy, amt.toPlainString(),
                "bench:" + name + ":" + ccy + ":" + runTag));
        Credentials key = admin.createApiKey(userId, "bench-" + runTag, passphrase());
        return new TraderAccount(name, userId, key);
    }

    /**
     * Creates {@code names.size()} accounts with {@code parallelism} requests at a time (each key costs the server a
     * PBKDF2 hash), in the order of {@code names}.
     */
    public List<TraderAccount> createAll(List<String> names, Map<String, BigDecimal> funding, String runTag,
                                         int parallelism) throws InterruptedException {
        try (ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, parallelism))) {
            List<Future<TraderAccount>> futures = new ArrayList<>();
            for (String n : names) {
                futures.add(pool.submit(() -> create(n, funding, runTag)));
            }
            List<TraderAccount> out = new ArrayList<>();
            for (Future<TraderAccount> f : futures) {
                try {
                    out.add(f.get());
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    throw c instanceof RuntimeException r ? r : new IllegalStateException(c);
                }
            }
            return out;
        }
    }

    /**
     * A random passphrase of 20 characters (never shown; it lives in the returned credentials only). The fixed start
     * gives it the upper-case letter, lower-case letter, digit and special character the exchange requires.
     */
    static String passphrase() {
        StringBuilder b = new StringBuilder("Bn7-");
        for (int i = 0; i < 16; i++) {
            b.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
        }
        return b.toString();
    }
}
