package dev.bourse.operator.wallet;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bourse.operator.model.WalletPolicySpec;

/**
 * A WalletPolicy as the engine takes it ({@code PUT /internal/v1/wallet-policies/{asset}}, docs/wallet.md):
 * {@code {"metadata":{"generation":N},"spec":{...}}}. The CRD's defaults are filled in here too, so a resource
 * created without them (or through an API server that does not apply defaults) means the same thing.
 */
public final class EngineWalletPolicy {
    private EngineWalletPolicy() {
    }

    public static ObjectNode body(WalletPolicySpec spec, long generation) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.putObject("metadata").put("generation", generation);
        ObjectNode s = n.putObject("spec");
        s.put("asset", spec.asset);
        s.put("depositsEnabled", spec.depositsEnabled == null || spec.depositsEnabled);
        s.put("withdrawalsEnabled", spec.withdrawalsEnabled == null || spec.withdrawalsEnabled);
        s.put("confirmations", spec.confirmations == null ? 1 : spec.confirmations);
        putIf(s, "minWithdrawal", spec.minWithdrawal);
        putIf(s, "maxWithdrawal", spec.maxWithdrawal);
        putIf(s, "dailyLimit", spec.dailyLimit);
        putIf(s, "reviewThreshold", spec.reviewThreshold);
        s.put("whitelistRequired", spec.whitelistRequired != null && spec.whitelistRequired);
        putIf(s, "cooldown", spec.cooldown);
        putIf(s, "withdrawalFee", spec.withdrawalFee);
        return n;
    }

    private static void putIf(ObjectNode n, String field, String value) {
        if (value != null && !value.isBlank()) {
            n.put(field, value);
        }
    }
}
