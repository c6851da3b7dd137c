package dev.bourse.server.wallet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bourse.asset.Asset;
import dev.bourse.server.http.Json;
import dev.bourse.server.listing.Listing;
import dev.bourse.server.reconcile.Reconciler;
import dev.bourse.server.store.Database;
import dev.bourse.server.support.TestDatabases;
import dev.bourse.server.support.TraderFixture;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.bourse.server.wallet.WalletTestKit.balance;
import static dev.bourse.server.wallet.WalletTestKit.units;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The wallet's migration and SQL on the embedded H2 (dev profile), and policy parsing. */
class WalletH2Test {

    @Test
    void depositAndWithdrawalRunOnH2() throws Exception {
        try (TestDatabases.TestDb testDb = TestDatabases.h2(); Database db = testDb.open()) {
            TraderFixture.list(db);
            Asset eth = new Listing(db).assets().get("ETH");
            Wallet wallet = new Wallet(db, new Listing(db), new dev.bourse.server.admin.AuditLog(new SimpleMeterRegistry()),
                    new WalletTestKit.Switches(), new SimulatedChain(db), new SimpleMeterRegistry(),
                    new WalletTestKit.TestClock(), new WalletSettings(0, 0, false));
            wallet.start();
            wallet.policies().apply(WalletTestKit.policy(eth, 1, true, true, 1, "0.01", "10", "20", "5", false, 0, "0.001"),
                    "test", null, eth.scale());
            long u = TraderFixture.user(db, "h2-user", Map.of());
            SimulatedChain chain = (SimulatedChain) wallet.chain();
            chain.injectDeposit("ETH", wallet.depositAddress(u, eth), units(eth, "2"));
            chain.mine(1);
            wallet.tick();
            assertArrayEquals(new long[] {units(eth, "2"), 0}, balance(db, u, eth));
            Withdrawal w = wallet.requestWithdrawal(new Wallet.WithdrawalRequest(u, eth, units(eth, "1"), "eth-h2-dest", null,
                    null, "h2"));
            wallet.tick();
            chain.mine(1);
            wallet.tick();
            assertEquals(Withdrawal.State.CONFIRMED, wallet.withdrawal(w.wdId()).orElseThrow().state());
            assertArrayEquals(new long[] {units(eth, "0.999"), 0}, balance(db, u, eth));
            assertTrue(new Reconciler(db).run().clean());
            wallet.close();
        }
    }

    @Test
    void policyParsingIsExactAndNamesTheBadField() throws Exception {
        Asset btc = new Asset(0, "BTC", 8);
        JsonNode ok = Json.MAPPER.readTree("""
                {"metadata":{"generation":7},"spec":{"depositsEnabled":true,"withdrawalsEnabled":false,"confirmations":3,
                 "minWithdrawal":"0.001","maxWithdrawal":"2","dailyLimit":"5","reviewThreshold":"1",
                 "whitelistRequired":true,"cooldown":"24h","withdrawalFee":"0.0002"}}""");
        WalletPolicy p = WalletPolicy.parse(btc, ok);
        assertEquals(7, p.generation());
        assertEquals(86_400_000L, p.cooldownMillis());
        assertEquals(100_000L, p.minWithdrawal());
        assertEquals(20_000L, p.withdrawalFee());
        assertEquals("0.0002", p.toJson(8).path("withdrawalFee").asText());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WalletPolicy.parse(btc,
                Json.MAPPER.readTree(ok.toString().replace("\"0.001\"", "\"0.000000001\""))));
        assertTrue(e.getMessage().contains("minWithdrawal"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> WalletPolicy.parse(btc,
                Json.MAPPER.readTree(ok.toString().replace("\"2\"", "\"0.0001\""))), "min above max");
        assertThrows(IllegalArgumentException.class, () -> WalletPolicy.parse(btc,
                Json.MAPPER.readTree(ok.toString().replace("\"24h\"", "\"soon\""))));
        assertThrows(IllegalArgumentException.class, () -> WalletPolicy.parse(btc,
                Json.MAPPER.readTree("{\"depositsEnabled\":true}")), "generation required");
    }
}
