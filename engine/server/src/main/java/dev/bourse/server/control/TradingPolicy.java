package dev.bourse.server.control;

import dev.bourse.order.OrderType;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every active switch merged into one immutable answer sheet, built once per board version and read
 * without locks by the sequencer, the market-data fan-out and the wallet. Where switches overlap the
 * most restrictive setting wins: the strictest mode, the narrowest price band, the lowest rate limit,
 * the union of disabled order types, any halt.
 */
public final class TradingPolicy {
    /** No switches: everything open. */
    public static final TradingPolicy OPEN = new TradingPolicy(0, List.of());

    /** Kind of command as the switches see it. */
    public enum Action { PLACE, AMEND, CANCEL }

    private record Hold(SwitchMode mode, String name, String reason) {
        static Hold stricter(Hold a, Hold b) {
            if (a == null) {
                return b;
            }
            if (b == null) {
                return a;
            }
            return b.mode.ordinal() > a.mode.ordinal() ? b : a;
        }
    }

    private final long version;
    private final List<TradingSwitch> switches;
    private Hold global;
    private final Map<String, Hold> symbols = new HashMap<>();
    private final Map<Long, Hold> users = new HashMap<>();
    private final Map<String, Hold> assets = new HashMap<>();
    private final Set<OrderType> globalDisabled = EnumSet.noneOf(OrderType.class);
    private final Map<String, Set<OrderType>> symbolDisabled = new HashMap<>();
    private int globalBand;
    private final Map<String, Integer> symbolBand = new HashMap<>();
    private boolean globalReadOnlyMd;
    private final Set<String> readOnlyMdSymbols = new HashSet<>();
    private SwitchSpec.RateLimitOverride globalRate;
    private final Map<String, SwitchSpec.RateLimitOverride> symbolRate = new HashMap<>();
    private String globalWithdrawalHalt;
    private final Map<Long, String> userWithdrawalHalt = new HashMap<>();
    private final Map<String, String> assetWithdrawalHalt = new HashMap<>();
    private final Map<Long, String> userReadOnly = new HashMap<>();
    private final Map<String, String> assetReadOnly = new HashMap<>();
    private boolean drainRequested;

    public TradingPolicy(long version, List<TradingSwitch> switches) {
        this.version = version;
        this.switches = List.copyOf(switches);
        for (TradingSwitch sw : switches) {
            SwitchSpec s = sw.spec();
            Hold h = new Hold(s.effectiveMode(), sw.name(), s.reason());
            drainRequested |= s.drain();
            switch (s.scope().kind()) {
                case GLOBAL -> {
                    global = Hold.stricter(global, h);
                    globalDisabled.addAll(s.disabledOrdTypes());
                    globalBand = narrower(globalBand, s.priceBandBps());
                    globalReadOnlyMd |= s.readOnlyMarketData();
                    globalRate = SwitchSpec.RateLimitOverride.stricter(globalRate, s.rateLimit());
                    if (s.haltWithdrawals() || s.effectiveMode() == SwitchMode.READ_ONLY) {
                        globalWithdrawalHalt = label(sw);
                    }
                }
                case SYMBOLS -> {
                    for (String id : s.scope().symbols()) {
                        symbols.merge(id, h, Hold::stricter);
                        if (!s.disabledOrdTypes().isEmpty()) {
                            symbolDisabled.computeIfAbsent(id, k -> EnumSet.noneOf(OrderType.class)).addAll(s.disabledOrdTypes());
                        }
                        if (s.priceBandBps() > 0) {
                            symbolBand.merge(id, s.priceBandBps(), TradingPolicy::narrower);
                        }
                        if (s.readOnlyMarketData()) {
                            readOnlyMdSymbols.add(id);
                        }
                        if (s.rateLimit() != null) {
                            symbolRate.merge(id, s.rateLimit(), SwitchSpec.RateLimitOverride::stricter);
                        }
                    }
                }
                case USERS -> {
                    for (Long u : s.scope().users()) {
                        users.merge(u, h, Hold::stricter);
                        if (s.haltWithdrawals()) {
                            userWithdrawalHalt.put(u, label(sw));
                        }
                        if (s.effectiveMode() == SwitchMode.READ_ONLY) {
                            userReadOnly.put(u, label(sw));
                        }
                    }
                }
                case ASSETS -> {
                    for (String a : s.scope().assets()) {
                        assets.merge(a, h, Hold::stricter);
                        if (s.haltWithdrawals()) {
                            assetWithdrawalHalt.put(a, label(sw));
                        }
                        if (s.effectiveMode() == SwitchMode.READ_ONLY) {
                            assetReadOnly.put(a, label(sw));
                        }
                    }
                }
            }
        }
    }

    private static String label(TradingSwitch sw) {
        return "switch " + sw.name() + ": " + sw.spec().reason();
    }

    private static int narrower(int a, int b) {
        if (a == 0) {
            return b;
        }
        return b == 0 ? a : Math.min(a, b);
    }

    public long version() {
        return version;
    }

    public List<TradingSwitch> switches() {
        return switches;
    }

    /** True when some active switch asks for a drain (the control plane waits for drained shards). */
    public boolean drainRequested() {
        return drainRequested;
    }

    /**
     * Whether the switches let {@code action} by {@code userId} on {@code instId} (whose assets are
     * {@code base}/{@code quote}) through; {@code type} is the order type of a place. Null = allowed.
     * A mass cancel is a {@link Action#CANCEL} with a null instId.
     */
    public Refusal check(Action action, long userId, String instId, String base, String quote, OrderType type) {
        if (switches.isEmpty()) {
            return null;
        }
        Hold user = users.get(userId);
        Hold asset = null;
        if (base != null) {
            asset = Hold.stricter(assets.get(base), assets.get(quote));
        }
        Hold symbol = instId == null ? null : symbols.get(instId);
        Hold strictest = Hold.stricter(Hold.stricter(Hold.stricter(global, symbol), asset), user);
        if (strictest != null && refuses(strictest.mode, action)) {
            String why = strictest.reason;
            if (strictest == user) {
                return new Refusal("51024", "Trading account is blocked: " + why, "frozen", strictest.name);
            }
            if (strictest == asset) {
                String ccy = assets.get(base) == asset ? base : quote;
                return new Refusal("51755", "The currency " + ccy + " operation is restricted: " + why, "frozen", strictest.name);
            }
            return switch (strictest.mode) {
                case PAUSE_ORDERS -> new Refusal("51009", "Order blocked: new orders are paused (" + why + ").",
                        "switch_paused", strictest.name);
                case CANCEL_ONLY -> new Refusal("51056", "Action not allowed: cancel-only (" + why + ").",
                        "switch_cancel_only", strictest.name);
                default -> new Refusal("51009", "Order blocked: trading is read-only (" + why + ").",
                        "switch_read_only", strictest.name);
            };
        }
        if (action == Action.PLACE && type != null
                && (globalDisabled.contains(type) || symbolDisabled.getOrDefault(instId, Set.of()).contains(type))) {
            return new Refusal("51009", "Order blocked: ordType " + type.okx() + " is disabled for "
                    + instId + ".", "order_type_disabled", null);
        }
        return null;
    }

    private static boolean refuses(SwitchMode mode, Action action) {
        return switch (mode) {
            case NORMAL -> false;
            case PAUSE_ORDERS -> action == Action.PLACE;
            case CANCEL_ONLY -> action != Action.CANCEL;
            case READ_ONLY -> true;
        };
    }

    /** The strictest order-entry mode over the global and symbol scopes for {@code instId}. */
    public SwitchMode symbolMode(String instId) {
        Hold h = Hold.stricter(global, symbols.get(instId));
        return h == null ? SwitchMode.NORMAL : h.mode;
    }

    /** The global order-entry mode. */
    public SwitchMode globalMode() {
        return global == null ? SwitchMode.NORMAL : global.mode;
    }

    /** Price band override for {@code instId} in bps, 0 when none. */
    public int priceBandBps(String instId) {
        return narrower(globalBand, symbolBand.getOrDefault(instId, 0));
    }

    /** True when depth for {@code instId} must stop moving (trades keep flowing). */
    public boolean readOnlyMarketData(String instId) {
        return globalReadOnlyMd || readOnlyMdSymbols.contains(instId);
    }

    /** Tighter per-instrument trade limits for {@code instId}, or null. */
    public SwitchSpec.RateLimitOverride rateLimit(String instId) {
        return SwitchSpec.RateLimitOverride.stricter(globalRate, symbolRate.get(instId));
    }

    /** Symbols with their own settings (band, rate limit, read-only depth), for the edges to refresh. */
    public Set<String> symbolsWithSettings() {
        Set<String> out = new HashSet<>(symbolBand.keySet());
        out.addAll(symbolRate.keySet());
        out.addAll(readOnlyMdSymbols);
        return out;
    }

    /** Why withdrawals of {@code asset} by {@code userId} are stopped, or null. */
    public String withdrawalBlock(long userId, String asset) {
        if (globalWithdrawalHalt != null) {
            return globalWithdrawalHalt;
        }
        String u = userWithdrawalHalt.get(userId);
        return u != null ? u : assetWithdrawalHalt.get(asset);
    }

    /** Why deposits of {@code asset} to {@code userId} must wait: only a read-only freeze stops crediting. */
    public String depositBlock(long userId, String asset) {
        if (global != null && global.mode == SwitchMode.READ_ONLY) {
            return "switch " + global.name + ": " + global.reason;
        }
        String u = userReadOnly.get(userId);
        return u != null ? u : assetReadOnly.get(asset);
    }

    /** Number of active switches by scope kind, for the gauges. */
    public long count(SwitchSpec.ScopeKind kind) {
        return switches.stream().filter(s -> s.spec().scope().kind() == kind).count();
    }
}
