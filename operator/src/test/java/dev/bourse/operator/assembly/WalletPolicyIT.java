package dev.bourse.operator.assembly;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bourse.operator.harness.EngineCluster;
import dev.bourse.testkit.EngineProcess;
import dev.bourse.operator.harness.OperatorHarness;
import dev.bourse.operator.model.Conditions;
import dev.bourse.operator.model.WalletPolicy;
import dev.bourse.operator.model.WalletPolicySpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.math.BigDecimal;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** WalletPolicy end to end: pushed to two real engine processes, read back from both, refusals reported. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
class WalletPolicyIT {
    private static final Duration WAIT = OperatorHarness.DEFAULT_WAIT;
    private EngineCluster engines;
    private OperatorHarness k8s;

    @BeforeAll
    void start() throws Exception {
        engines = EngineCluster.start("wpol", 2);
        k8s = OperatorHarness.start(engines);
    }

    @AfterAll
    void stop() {
        if (k8s != null) {
            k8s.close();
        }
        if (engines != null) {
            engines.close();
        }
    }

    static WalletPolicy policy(String name, String asset) {
        WalletPolicy wp = new WalletPolicy();
        wp.setMetadata(new ObjectMetaBuilder().withName(name).build());
        WalletPolicySpec s = new WalletPolicySpec();
        s.asset = asset;
        s.depositsEnabled = true;
        s.withdrawalsEnabled = true;
        s.confirmations = 2;
        s.minWithdrawal = "0.001";
        s.maxWithdrawal = "5";
        s.dailyLimit = "10";
        s.reviewThreshold = "1";
        s.cooldown = "24h";
        s.withdrawalFee = "0.0005";
        wp.setSpec(s);
        return wp;
    }

    private JsonNode enginePolicy(int shard, String asset) throws Exception {
        EngineProcess.Response r = engines.engine(shard).get("/internal/v1/wallet-policies/" + asset);
        return r.status() == 200 ? r.first() : null;
    }

    private static void assertAmount(String expected, JsonNode actual) {
        assertEquals(0, new BigDecimal(expected).compareTo(new BigDecimal(actual.asText())), expected + " vs " + actual);
    }

    @Test
    void policyIsAppliedReadBackFromEveryPodAndChangedWithItsGeneration() throws Exception {
        k8s.create(policy("btc", "BTC"));
        WalletPolicy wp = k8s.awaitCondition(WalletPolicy.class, "btc", WalletPolicy.APPLIED, Conditions.TRUE, WAIT);
        assertEquals(1L, wp.getStatus().observedGeneration);
        long version = wp.getStatus().version;
        assertTrue(version >= 1, "engine version " + version);
        for (int shard = 0; shard < 2; shard++) {
            JsonNode p = enginePolicy(shard, "BTC");
            assertEquals(1, p.path("generation").asLong(), p.toString());
            assertEquals(version, p.path("version").asLong());
            assertEquals(2, p.path("confirmations").asInt());
            assertAmount("5", p.path("maxWithdrawal"));
            assertAmount("0.0005", p.path("withdrawalFee"));
            assertEquals(86400, p.path("cooldownSeconds").asLong());
            assertTrue(p.path("withdrawalsEnabled").asBoolean());
        }

        // runbook §4 D: close withdrawals, keep deposits
        k8s.edit(WalletPolicy.class, "btc", r -> {
            r.getSpec().withdrawalsEnabled = false;
            return r;
        });
        wp = k8s.awaitCondition(WalletPolicy.class, "btc", WalletPolicy.APPLIED, Conditions.TRUE, WAIT);
        assertEquals(2L, wp.getStatus().observedGeneration);
        assertEquals(version + 1, wp.getStatus().version);
        JsonNode p = enginePolicy(1, "BTC");
        assertEquals(2, p.path("generation").asLong());
        assertFalse(p.path("withdrawalsEnabled").asBoolean());
        assertTrue(p.path("depositsEnabled").asBoolean());
        assertTrue(k8s.events("btc").stream().anyMatch(e -> "Applied".equals(e.getReason())));
    }

    @Test
    void aPolicyTheEngineRefusesIsReportedAndChangesNothing() throws Exception {
        JsonNode eth = enginePolicy(0, "ETH");
        WalletPolicy bad = policy("eth", "ETH");
        bad.getSpec().minWithdrawal = "0.000000001"; // ETH has 8 decimals here
        k8s.create(bad);
        WalletPolicy wp = k8s.awaitCondition(WalletPolicy.class, "eth", WalletPolicy.APPLIED, Conditions.FALSE, WAIT);
        var c = Conditions.find(wp.getStatus().conditions, WalletPolicy.APPLIED).orElseThrow();
        assertEquals("EngineRefused", c.getReason());
        assertTrue(c.getMessage().contains("minWithdrawal"), c.getMessage());
        assertNull(wp.getStatus().observedGeneration);
        JsonNode after = enginePolicy(0, "ETH");
        assertEquals(eth == null ? null : eth.path("version").asLong(), after == null ? null : after.path("version").asLong(),
                "the engine's ETH policy is unchanged");
        OperatorHarness.await("EngineRefused event", WAIT, () -> k8s.events("eth").stream()
                .anyMatch(e -> "EngineRefused".equals(e.getReason()) && "Warning".equals(e.getType())));

        k8s.edit(WalletPolicy.class, "eth", r -> {
            r.getSpec().minWithdrawal = "0.01";
            return r;
        });
        wp = k8s.awaitCondition(WalletPolicy.class, "eth", WalletPolicy.APPLIED, Conditions.TRUE, WAIT);
        assertEquals(2L, wp.getStatus().observedGeneration);
        assertAmount("0.01", enginePolicy(1, "ETH").path("minWithdrawal"));
    }
}
