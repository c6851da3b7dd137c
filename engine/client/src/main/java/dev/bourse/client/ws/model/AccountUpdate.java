package dev.bourse.client.ws.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.math.BigDecimal;
import java.util.List;

/**
 * The {@code account} channel: balances of the currencies that changed (all non-zero ones in the first push).
 * USD valuations are empty on Bourse (null here).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AccountUpdate(Long uTime, BigDecimal totalEq, List<Detail> details) {
    public AccountUpdate {
        details = details == null ? List.of() : List.copyOf(details);
    }

    /** One currency: {@code cashBal = availBal + frozenBal}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Detail(String ccy, BigDecimal cashBal, BigDecimal eq, BigDecimal availBal, BigDecimal frozenBal,
                         BigDecimal ordFrozen, Long uTime) {
    }
}
