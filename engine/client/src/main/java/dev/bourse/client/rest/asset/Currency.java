package dev.bourse.client.rest.asset;

import java.math.BigDecimal;

/** {@code GET /api/v5/asset/currencies}: a currency on one chain, whether it can be deposited and withdrawn. */
public record Currency(String ccy, String name, String chain, Boolean canDep, Boolean canWd, Boolean canInternal,
                       BigDecimal minDep, BigDecimal minWd, BigDecimal maxWd, String wdTickSz, BigDecimal fee,
                       BigDecimal minFee, BigDecimal maxFee, Boolean mainNet) {
}
