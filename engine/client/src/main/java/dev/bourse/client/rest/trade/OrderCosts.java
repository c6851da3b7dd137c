package dev.bourse.client.rest.trade;

import dev.bourse.client.rest.gate.Cost;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What order operations take from the gate: OKX counts them per instrument, new and amended orders also per account. */
final class OrderCosts {
    private OrderCosts() {
    }

    /** @param instIds one per order of the request */
    static List<Cost> of(String rule, List<String> instIds, boolean countsForAccount) {
        Map<String, Integer> perInstrument = new LinkedHashMap<>();
        for (String id : instIds) {
            perInstrument.merge(id, 1, Integer::sum);
        }
        List<Cost> costs = new ArrayList<>();
        perInstrument.forEach((instId, n) -> costs.add(Cost.perInstrument(rule, instId, n)));
        if (countsForAccount) {
            costs.add(Cost.account(instIds.size()));
        }
        return costs;
    }
}
