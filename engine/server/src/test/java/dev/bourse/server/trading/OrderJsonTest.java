package dev.bourse.server.trading;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bourse.asset.Asset;
import dev.bourse.instrument.Instrument;
import dev.bourse.order.CancelReason;
import dev.bourse.order.OrderState;
import dev.bourse.order.OrderType;
import dev.bourse.order.Side;
import dev.bourse.order.StpMode;
import dev.bourse.order.TargetCurrency;
import dev.bourse.server.http.Json;
import dev.bourse.server.shard.FillRecord;
import dev.bourse.server.shard.OrderRecord;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The two forms of an order (tree for REST, text for pushes) are one format. */
class OrderJsonTest {
    private static final Instrument BTC_USDT = Instrument.builder("BTC-USDT", new Asset(0, "BTC", 8), new Asset(1, "USDT", 6))
            .tickSize("0.1").lotSize("0.0001").minSize("0.0001").maxSize("100").build();
    @Test
    void textAndTreeAreTheSameOrderInEveryView() throws Exception {
        Instrument ins = BTC_USDT;
        OrderRecord live = order(OrderState.LIVE, 0, 0, 0, null);
        OrderRecord partial = order(OrderState.PARTIALLY_FILLED, 30_000_000L, 18_000_000_000L, 600_000L, null);
        OrderRecord canceled = order(OrderState.CANCELED, 30_000_000L, 18_000_000_000L, 600_000L, CancelReason.USER);
        FillRecord f1 = fill(1, 10_000_000L);
        FillRecord f2 = fill(2, 20_000_000L);
        for (OrderJson.View view : OrderJson.View.values()) {
            for (OrderRecord o : List.of(live, partial, canceled)) {
                for (List<FillRecord> fills : List.of(List.<FillRecord>of(), List.of(f1, f2))) {
                    ObjectNode tree = OrderJson.of(o, ins, fills, view);
                    String text = OrderJson.text(o, ins, fills, view);
                    assertEquals(Json.MAPPER.writeValueAsString(tree), text);
                    assertEquals(tree, Json.MAPPER.readTree(text));
                }
            }
        }
    }

    @Test
    void pushesCarryTheChannelFieldsAtTheEnd() throws Exception {
        Instrument ins = BTC_USDT;
        OrderRecord o = order(OrderState.PARTIALLY_FILLED, 30_000_000L, 18_000_000_000L, 600_000L, null);
        List<FillRecord> fills = List.of(fill(1, 30_000_000L));
        JsonNode push = Json.MAPPER.readTree(OrderJson.text(o, ins, fills, OrderJson.View.PUSH));
        JsonNode rest = OrderJson.of(o, ins, fills, OrderJson.View.REST);
        List<String> pushFields = new ArrayList<>();
        push.fieldNames().forEachRemaining(pushFields::add);
        List<String> restFields = new ArrayList<>();
        rest.fieldNames().forEachRemaining(restFields::add);
        assertEquals(restFields, pushFields.subList(0, restFields.size()));
        assertEquals(List.of("fillNotionalUsd", "fillPnl", "reqId", "amendResult", "amendSource", "code", "msg"),
                pushFields.subList(restFields.size(), pushFields.size()));
        assertEquals("0", push.get("code").asText());
        assertEquals("0.3", push.get("fillSz").asText());
        assertEquals("60000", push.get("avgPx").asText());
        assertEquals("", OrderJson.of(o, ins, List.of(), OrderJson.View.REST).get("fillPx").asText());
    }

    private static OrderRecord order(OrderState state, long filled, long filledQuote, long fee, CancelReason reason) {
        long sz = 100_000_000L;
        return new OrderRecord(7, 0, "BTC-USDT", 10_001, "c1", "t\"ag", Side.BUY, OrderType.LIMIT, StpMode.CANCEL_MAKER,
                TargetCurrency.BASE_CCY, 600_000, sz, filled, filledQuote, state.done() ? 0 : sz - filled,
                0, fee, state, reason, 3, 3, 4, 1_700_000_000_000L, 1_700_000_000_500L);
    }

    private static FillRecord fill(long tradeId, long sz) {
        return new FillRecord(tradeId, 0, 4, "BTC-USDT", 600_000, sz, sz * 600, Side.BUY, 7, 10_001, 9,
                10_002, 10, 0, 5, 1, 1_700_000_000_400L + tradeId);
    }
}
