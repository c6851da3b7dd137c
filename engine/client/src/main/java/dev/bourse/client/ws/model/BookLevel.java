package dev.bourse.client.ws.model;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.math.BigDecimal;

/**
 * One depth row as OKX sends it: {@code ["8476.98", "415", "0", "13"]} = price, size, a deprecated field that is
 * always "0", and the number of orders. Price and size stay the exact strings received: the book checksum is
 * computed over them as sent.
 */
@JsonFormat(shape = JsonFormat.Shape.ARRAY)
@JsonPropertyOrder({"px", "sz", "liquidated", "orders"})
public record BookLevel(String px, String sz, String liquidated, String orders) {
    public BigDecimal price() {
        return new BigDecimal(px);
    }

    public BigDecimal size() {
        return new BigDecimal(sz);
    }

    /** The number of orders at this price, 0 when the field is missing. */
    public int orderCount() {
        return orders == null || orders.isEmpty() ? 0 : Integer.parseInt(orders);
    }
}
