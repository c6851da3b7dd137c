package dev.bourse.server.api;

import dev.bourse.server.auth.ApiPrincipal;
import dev.bourse.server.ratelimit.AccountRateLimit;
import dev.bourse.server.ratelimit.RateLimitRefusal;
import dev.bourse.server.ratelimit.RateLimits;

import java.util.Map;

/** {@link RateGate} over the configured {@link RateLimits}: a refusal becomes OKX's 50011 / 50061 answer. */
public final class RateLimitGate implements RateGate {
    private final RateLimits limits;

    public RateLimitGate(RateLimits limits) {
        this.limits = limits;
    }

    @Override
    public void acquire(String rule, ApiPrincipal who, String ip, String instId, int permits) {
        // an endpoint without a rule of its own falls under the generic public / private rule
        String name = limits.rules().ruleFor("POST", rule);
        RateLimitRefusal refusal = who == null
                ? limits.acquirePublic(name, ip)
                : limits.acquire(name, who.userId(), instId == null ? "-" : instId, ip);
        if (refusal != null) {
            throw new ApiError(refusal.httpStatus(), refusal.code(), refusal.msg());
        }
    }

    @Override
    public void acquireBatch(String rule, ApiPrincipal who, Map<String, Integer> ordersByInstId) {
        RateLimitRefusal refusal = limits.acquireBatch(rule, who.userId(), ordersByInstId);
        if (refusal != null) {
            throw new ApiError(refusal.httpStatus(), refusal.code(), refusal.msg());
        }
    }

    @Override
    public AccountRate accountRate(ApiPrincipal who) {
        AccountRateLimit r = limits.accountRateLimit(who.userId());
        return new AccountRate(r.accRateLimit(), r.nextAccRateLimit(), r.ts());
    }
}
