package dev.bourse.server.ratelimit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * What the trader API calls before doing a request: the right bucket for each rule's scope, the
 * per-instrument tightening, the account-wide order limit next to the per-instrument one, and OKX's
 * rule that a batch of one order counts as a single order. Each method returns null when the request
 * may proceed, else the refusal to answer with; a refused request uses up nothing.
 */
public final class RateLimits {
    /** The endpoints whose orders count towards the account-wide limit: new and amended orders only. */
    private static final Set<String> ACCOUNT_COUNTED =
            Set.of("trade/order", "trade/batch-orders", "trade/amend-order", "trade/amend-batch-orders");
    /** A batch endpoint and the single-order rule a batch of one falls under. */
    private static final Map<String, String> SINGLE_OF_BATCH = Map.of(
            "trade/batch-orders", "trade/order",
            "trade/cancel-batch-orders", "trade/cancel-order",
            "trade/amend-batch-orders", "trade/amend-order");

    private final RateLimitRules rules;
    private final RateLimiter limiter;
    private final LongSupplier clock;

    public RateLimits(RateLimitRules rules, RateLimiter limiter, LongSupplier clockMillis) {
        this.rules = rules;
        this.limiter = limiter;
        this.clock = clockMillis;
    }

    public RateLimitRules rules() {
        return rules;
    }

    /** A public endpoint ({@code IP} rule), one request from {@code ip}. */
    public RateLimitRefusal acquirePublic(String rule, String ip) {
        return acquire(rules.rule(rule), "ip:" + ip, 1);
    }

    /** A private endpoint counted per user ({@code USER} rule). */
    public RateLimitRefusal acquireUser(String rule, long userId) {
        return acquire(rules.rule(rule), "u:" + userId, 1);
    }

    /**
     * A per-instrument request (order, cancel, amend, order details), {@code permits} = 1. Placing and
     * amending also count towards the account-wide limit (50061 when that is what runs out).
     */
    public RateLimitRefusal acquireInstrument(String rule, long userId, String instId) {
        return acquireBatch(rule, userId, Map.of(instId, 1));
    }

    /**
     * A batch endpoint: {@code ordersByInstId} counts the orders per instrument. All or nothing: if any
     * instrument's limit or the account's is exhausted, nothing is taken. A batch of one order counts
     * as a single order.
     */
    public RateLimitRefusal acquireBatch(String rule, long userId, Map<String, Integer> ordersByInstId) {
        int total = ordersByInstId.values().stream().mapToInt(Integer::intValue).sum();
        String name = total == 1 ? SINGLE_OF_BATCH.getOrDefault(rule, rule) : rule;
        List<Runnable> undo = new ArrayList<>();
        if (ACCOUNT_COUNTED.contains(name) && total > 0) {
            RateLimitRule account = rules.rule(RateLimitRules.ACCOUNT);
            String key = "u:" + userId;
            if (!limiter.tryAcquire(account, key, total)) {
                return RateLimitRefusal.account();
            }
            undo.add(() -> limiter.release(account, key, total));
        }
        for (Map.Entry<String, Integer> e : ordersByInstId.entrySet()) {
            RateLimitRule r = rules.effective(name, e.getKey());
            String key = "u:" + userId + "|" + e.getKey();
            int permits = e.getValue();
            if (!limiter.tryAcquire(r, key, permits)) {
                undo.forEach(Runnable::run);
                return RateLimitRefusal.endpoint(name);
            }
            undo.add(() -> limiter.release(r, key, permits));
        }
        return null;
    }

    /** Any rule by its scope: the instrument is needed for {@code USER_INST}, the IP for {@code IP}. */
    public RateLimitRefusal acquire(String rule, long userId, String instId, String ip) {
        RateLimitRule r = rules.rule(rule);
        return switch (r.scope()) {
            case IP -> acquirePublic(rule, ip);
            case USER -> acquireUser(rule, userId);
            case USER_INST -> acquireInstrument(rule, userId, instId);
            case ACCOUNT -> acquire(r, "u:" + userId, 1) == null ? null : RateLimitRefusal.account();
        };
    }

    /** The figures of {@code GET /api/v5/trade/account-rate-limit} for {@code userId}. */
    public AccountRateLimit accountRateLimit(long userId) {
        RateLimitRule account = rules.rule(RateLimitRules.ACCOUNT);
        return new AccountRateLimit(account.limit(), account.limit(), limiter.used(account, "u:" + userId),
                limiter.windowEnd(account), clock.getAsLong());
    }

    private RateLimitRefusal acquire(RateLimitRule r, String key, int permits) {
        return limiter.tryAcquire(r, key, permits) ? null : RateLimitRefusal.endpoint(r.name());
    }
}
