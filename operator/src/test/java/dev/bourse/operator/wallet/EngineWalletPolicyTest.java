package dev.bourse.operator.wallet;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bourse.operator.model.WalletPolicySpec;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EngineWalletPolicyTest {
    @Test
    void theCrdDefaultsAreFilledAndTheGenerationTravels() throws Exception {
        WalletPolicySpec s = new WalletPolicySpec();
        s.asset = "BTC";
        s.maxWithdrawal = "5";
        s.dailyLimit = "10";
        s.reviewThreshold = "1";
        s.cooldown = "24h";
        assertEquals(new ObjectMapper().readTree("""
                {"metadata":{"generation":4},
                 "spec":{"asset":"BTC","depositsEnabled":true,"withdrawalsEnabled":true,"confirmations":1,
                         "maxWithdrawal":"5","dailyLimit":"10","reviewThreshold":"1","whitelistRequired":false,
                         "cooldown":"24h"}}"""), norm(EngineWalletPolicy.body(s, 4)));
        s.withdrawalsEnabled = false;
        s.confirmations = 6;
        s.withdrawalFee = "0.0005";
        var b = EngineWalletPolicy.body(s, 5).get("spec");
        assertEquals(false, b.get("withdrawalsEnabled").asBoolean());
        assertEquals(6, b.get("confirmations").asInt());
        assertEquals("0.0005", b.get("withdrawalFee").asText());
    }

    /** Numbers as JSON text reads them (the body holds longs where a parsed text holds ints). */
    private static com.fasterxml.jackson.databind.JsonNode norm(com.fasterxml.jackson.databind.JsonNode n) throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(n.toString());
    }
}
