package dev.bourse.server.wallet;

import dev.bourse.asset.Asset;
import dev.bourse.fixed.Decimals;
import dev.bourse.server.admin.AuditLog;
import dev.bourse.server.control.FundsControls;
import dev.bourse.server.ledger.Ledger;
import dev.bourse.server.listing.Listing;
import dev.bourse.server.store.Database;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Test doubles and helpers for wallet tests: switchable funds controls, a settable clock, policies, balances. */
final class WalletTestKit {

    private WalletTestKit() {
    }

    /** Funds controls whose blocks tests set per asset ("*" for all). */
    static final class Switches implements FundsControls {
        final Map<String, String> withdrawals = new ConcurrentHashMap<>();
        final Map<String, String> deposits = new ConcurrentHashMap<>();

        @Override
        public String withdrawalBlock(long userId, String asset) {
            return withdrawals.getOrDefault(asset, withdrawals.get("*"));
        }

        @Override
        public String depositBlock(long userId, String asset) {
            return deposits.getOrDefault(asset, deposits.get("*"));
        }
    }

    /** A clock tests move forward. */
    static final class TestClock extends Clock {
        volatile long millis = 1_700_000_000_000L;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public long millis() {
            return millis;
        }

        void advance(long ms) {
            millis += ms;
        }
    }

    static Wallet wallet(Database db, FundsControls controls, Clock clock, MeterRegistry meters) throws Exception {
        Wallet w = new Wallet(db, new Listing(db), new AuditLog(meters), controls, new SimulatedChain(db), meters, clock,
                WalletSettings.MANUAL);
        w.start();
        return w;
    }

    /** A policy: amounts as decimals of {@code asset}. */
    static WalletPolicy policy(Asset a, long generation, boolean deposits, boolean withdrawals, int confirmations,
                               String min, String max, String daily, String review, boolean whitelist, long cooldownMs,
                               String fee) {
        int s = a.scale();
        return new WalletPolicy(a.code(), deposits, withdrawals, confirmations, Decimals.parse(min, s), Decimals.parse(max, s),
                Decimals.parse(daily, s), Decimals.parse(review, s), whitelist, cooldownMs, Decimals.parse(fee, s), generation,
                0, 0);
    }

    static long units(Asset a, String decimal) {
        return Decimals.parse(decimal, a.scale());
    }

    /** [available, held]. */
    static long[] balance(Database db, long account, Asset a) {
        return new Ledger(db).balance(account, a.id());
    }
}
