package dev.bourse.operator.model;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A listed instrument: its trading rules, the state the operators want, and the shard that runs it. */
@Group(BourseResource.GROUP)
@Version(BourseResource.VERSION)
@Plural("tradingsymbols")
@ShortNames({"tsym", "symbol"})
@AdditionalPrinterColumn(name = "InstId", jsonPath = ".spec.instId", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Desired", jsonPath = ".spec.state", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "State", jsonPath = ".status.appliedState", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Shard", jsonPath = ".status.shard", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class TradingSymbol extends CustomResource<TradingSymbolSpec, TradingSymbolStatus> implements Namespaced {
    public static final String READY = "Ready";
    public static final String HALTED = "Halted";
}
