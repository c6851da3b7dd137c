package dev.bourse.server.wallet;

import java.util.function.Function;

/**
 * The wallet's settings from the environment.
 *
 * @param scanMillis     how often the watcher scans for deposits and advances payouts ({@code WALLET_SCAN_MS},
 *                       default 1000; 0 = never on its own, tests call {@link Wallet#tick})
 * @param simBlockMillis how often the simulated chain mines a block ({@code WALLET_SIM_BLOCK_MS}, default 2000 in
 *                       the dev profile, 0 = only when asked: the admin API or tests)
 * @param devPolicies    install default policies for BTC, ETH and USDT (the dev profile's demo assets)
 */
public record WalletSettings(long scanMillis, long simBlockMillis, boolean devPolicies) {

    public WalletSettings {
        if (scanMillis < 0 || simBlockMillis < 0) {
            throw new IllegalArgumentException("wallet intervals must not be negative");
        }
    }

    /** Manual everything: for tests. */
    public static final WalletSettings MANUAL = new WalletSettings(0, 0, false);

    public static WalletSettings fromEnvironment(Function<String, String> env, boolean devProfile) {
        return new WalletSettings(millis(env, "WALLET_SCAN_MS", 1000), millis(env, "WALLET_SIM_BLOCK_MS", devProfile ? 2000 : 0),
                devProfile);
    }

    private static long millis(Function<String, String> env, String name, long dflt) {
        String v = env.apply(name);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            long ms = Long.parseLong(v.trim());
            if (ms < 0 || ms > 3_600_000) {
                throw new NumberFormatException();
            }
            return ms;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be milliseconds between 0 and 3600000: " + v);
        }
    }
}
