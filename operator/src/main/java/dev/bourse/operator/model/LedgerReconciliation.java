package dev.bourse.operator.model;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** One run of the ledger reconciliation (a Job running the engine image's {@code reconcile} command). */
@Group(BourseResource.GROUP)
@Version(BourseResource.VERSION)
@Plural("ledgerreconciliations")
@ShortNames({"lrec", "recon"})
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Anomalies", jsonPath = ".status.anomalies", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Trigger", jsonPath = ".spec.trigger", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Summary", jsonPath = ".status.summary", type = AdditionalPrinterColumn.Type.STRING,
        priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class LedgerReconciliation extends CustomResource<LedgerReconciliationSpec, LedgerReconciliationStatus>
        implements Namespaced {
    public static final String SUCCEEDED = "Succeeded";
}
