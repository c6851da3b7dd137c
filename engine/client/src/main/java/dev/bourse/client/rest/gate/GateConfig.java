package dev.bourse.client.rest.gate;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of the {@link RequestGate}.
 *
 * @param maxConcurrent requests on the wire at once (0 = unlimited)
 * @param globalLimit   a rate over every request of this client, per {@code globalWindow} (0 = off)
 * @param routeBudgets  whether per-endpoint budgets ({@link #routeLimits}) apply
 * @param routeLimits   rule -> limit; rules without an entry are limited only by concurrency and the global rate
 * @param windowMargin  added to every budget's window: the exchange counts arrivals, in fixed windows, and network
 *                      jitter can bring requests sent a full window apart closer together
 * @param backoffBase   first pause after a rate-limit answer; each further one in a row doubles it
 * @param backoffMax    longest pause
 */
public record GateConfig(int maxConcurrent, int globalLimit, Duration globalWindow, boolean routeBudgets,
                         Map<String, RouteLimit> routeLimits, Duration windowMargin, Duration backoffBase,
                         Duration backoffMax) {
    public GateConfig {
        if (maxConcurrent < 0 || globalLimit < 0) {
            throw new IllegalArgumentException("maxConcurrent and globalLimit must not be negative");
        }
        Objects.requireNonNull(globalWindow, "globalWindow");
        if (globalLimit > 0 && (globalWindow.isZero() || globalWindow.isNegative())) {
            throw new IllegalArgumentException("globalWindow must be positive when globalLimit is set");
        }
        routeLimits = Collections.unmodifiableMap(new LinkedHashMap<>(routeLimits));
        Objects.requireNonNull(windowMargin, "windowMargin");
        if (windowMargin.isNegative()) {
            throw new IllegalArgumentException("windowMargin must not be negative");
        }
        Objects.requireNonNull(backoffBase, "backoffBase");
        Objects.requireNonNull(backoffMax, "backoffMax");
        if (backoffBase.isNegative() || backoffBase.isZero() || backoffMax.compareTo(backoffBase) < 0) {
            throw new IllegalArgumentException("need 0 < backoffBase <= backoffMax");
        }
    }

    /**
     * 16 concurrent requests, no global rate, OKX's per-endpoint limits with a 50 ms window margin, back-off 250 ms
     * doubling up to 10 s.
     */
    public static GateConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.maxConcurrent = maxConcurrent;
        b.globalLimit = globalLimit;
        b.globalWindow = globalWindow;
        b.routeBudgets = routeBudgets;
        b.routeLimits = new LinkedHashMap<>(routeLimits);
        b.windowMargin = windowMargin;
        b.backoffBase = backoffBase;
        b.backoffMax = backoffMax;
        return b;
    }

    public static final class Builder {
        private int maxConcurrent = 16;
        private int globalLimit;
        private Duration globalWindow = Duration.ofSeconds(1);
        private boolean routeBudgets = true;
        private Map<String, RouteLimit> routeLimits = OkxRouteLimits.defaults();
        private Duration windowMargin = Duration.ofMillis(50);
        private Duration backoffBase = Duration.ofMillis(250);
        private Duration backoffMax = Duration.ofSeconds(10);

        private Builder() {
        }

        public Builder maxConcurrent(int n) {
            this.maxConcurrent = n;
            return this;
        }

        /** At most {@code limit} requests per {@code window} over all endpoints. */
        public Builder globalRate(int limit, Duration window) {
            this.globalLimit = limit;
            this.globalWindow = window;
            return this;
        }

        public Builder routeBudgets(boolean enabled) {
            this.routeBudgets = enabled;
            return this;
        }

        /** Adds or replaces one rule's limit (e.g. tighter than OKX's to leave room for another process). */
        public Builder routeLimit(String rule, int limit, Duration window) {
            routeLimits.put(rule, new RouteLimit(rule, limit, window));
            return this;
        }

        /** Replaces the whole table. */
        public Builder routeLimits(Map<String, RouteLimit> limits) {
            this.routeLimits = new LinkedHashMap<>(limits);
            return this;
        }

        public Builder windowMargin(Duration margin) {
            this.windowMargin = margin;
            return this;
        }

        public Builder backoff(Duration base, Duration max) {
            this.backoffBase = base;
            this.backoffMax = max;
            return this;
        }

        public GateConfig build() {
            return new GateConfig(maxConcurrent, globalLimit, globalWindow, routeBudgets, routeLimits, windowMargin,
                    backoffBase, backoffMax);
        }
    }
}
