package dev.bourse.operator.model;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A kill switch: while it exists, the engines restrict what it covers. Deleting it lifts it (explicit resume).
 * The engine's switch name is the resource's name.
 */
@Group(BourseResource.GROUP)
@Version(BourseResource.VERSION)
@Plural("tradingswitches")
@ShortNames({"tsw", "switch"})
@AdditionalPrinterColumn(name = "Mode", jsonPath = ".spec.mode", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Drain", jsonPath = ".spec.drain", type = AdditionalPrinterColumn.Type.BOOLEAN)
@AdditionalPrinterColumn(name = "Applied", jsonPath = ".status.conditions[?(@.type==\"Applied\")].status",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Drained", jsonPath = ".status.conditions[?(@.type==\"Drained\")].status",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".spec.reason", type = AdditionalPrinterColumn.Type.STRING,
        priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class TradingSwitch extends CustomResource<TradingSwitchSpec, TradingSwitchStatus> implements Namespaced {
    public static final String APPLIED = "Applied";
    public static final String DRAINED = "Drained";
}
