package dev.bourse.operator.model;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** Deposit and withdrawal rules of one asset. */
@Group(BourseResource.GROUP)
@Version(BourseResource.VERSION)
@Plural("walletpolicies")
@ShortNames({"wpol"})
@AdditionalPrinterColumn(name = "Asset", jsonPath = ".spec.asset", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Deposits", jsonPath = ".spec.depositsEnabled", type = AdditionalPrinterColumn.Type.BOOLEAN)
@AdditionalPrinterColumn(name = "Withdrawals", jsonPath = ".spec.withdrawalsEnabled",
        type = AdditionalPrinterColumn.Type.BOOLEAN)
@AdditionalPrinterColumn(name = "Applied", jsonPath = ".status.conditions[?(@.type==\"Applied\")].status",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class WalletPolicy extends CustomResource<WalletPolicySpec, WalletPolicyStatus> implements Namespaced {
    public static final String APPLIED = "Applied";
}
