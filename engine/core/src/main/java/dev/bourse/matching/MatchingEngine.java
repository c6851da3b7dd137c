package dev.bourse.matching;

import dev.bourse.funds.BalancePort;
import dev.bourse.funds.Bucket;
import dev.bourse.funds.PostingKind;
import dev.bourse.funds.PostingSet;
import dev.bourse.instrument.Instrument;
import dev.bourse.instrument.SymbolState;
import dev.bourse.order.CancelReason;
import dev.bourse.order.OrderState;
import dev.bourse.order.OrderType;
import dev.bourse.order.OrderView;
import dev.bourse.order.Side;
import dev.bourse.order.StpMode;
import dev.bourse.order.TargetCurrency;
import dev.bourse.risk.CircuitBreaker;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The matching and risk core of one shard: single-threaded, deterministic, no I/O.
 *
 * <p>Each {@link #execute(Command)} validates a command completely before changing anything (a
 * rejected command changes nothing), holds funds through the {@link BalancePort}, matches by
 * price-time priority and reports every effect to the {@link EngineListener}. Order ids, trade ids
 * and book sequence numbers come from counters owned by the engine, time from the commands, so the
 * same commands always produce the same events.
 */
public final class MatchingEngine {
    /** Ledger account that collects fees and pays maker rebates. */
    public static final long DEFAULT_FEE_ACCOUNT = 0L;
    private static final int MAX_CL_ORD_ID = 32;

    private final BalancePort balances;
    private final EngineListener listener;
    private final long feeAccount;

    private Market[] markets = new Market[8];
    private int marketCount;
    private final Map<String, Integer> symbolIds = new HashMap<>();
    private final OrderIndex liveOrders = new OrderIndex();
    private final Long2ObjectHashMap<UserOrders> users = new Long2ObjectHashMap<>();

    private final PostingSet postings = new PostingSet();
    private final Fill fill = new Fill();
    private Order freeOrders;

    private long sequence;
    private long lastOrderId;
    private long lastTradeId;

    // per-command scratch
    private long now;
    private CancelReason stopReason;
    private boolean budgetExhausted;

    public MatchingEngine(BalancePort balances, EngineListener listener) {
        this(balances, listener, DEFAULT_FEE_ACCOUNT, 0, 0, 0);
    }

    /**
     * @param lastSequence  last command sequence already processed (recovery), 0 for a fresh shard
     * @param lastOrderId   last order id handed out by this shard
     * @param lastTradeId   last trade id handed out by this shard
     */
    public MatchingEngine(BalancePort balances, EngineListener listener, long feeAccount,
                          long lastSequence, long lastOrderId, long lastTradeId) {
        this.balances = balances;
        this.listener = listener == null ? EngineListener.NONE : listener;
        this.feeAccount = feeAccount;
        this.sequence = lastSequence;
        this.lastOrderId = lastOrderId;
        this.lastTradeId = lastTradeId;
    }

    // ------------------------------------------------------------------ instruments

    /** Lists a symbol; returns its dense id used by commands. */
    public int addInstrument(Instrument instrument) {
        if (symbolIds.containsKey(instrument.instId())) {
            throw new IllegalArgumentException("instrument already listed: " + instrument.instId());
        }
        if (marketCount == markets.length) {
            markets = Arrays.copyOf(markets, marketCount * 2);
        }
        int id = marketCount++;
        markets[id] = new Market(id, instrument);
        symbolIds.put(instrument.instId(), id);
        return id;
    }

    /**
     * Why {@link #replaceInstrument} would refuse {@code next}, or null when it would take it: the symbol
     * must be listed here with the same assets and price scale (stored prices are in its units), and the
     * tick and lot may change only while nothing rests on the book (resting orders sit on the old grid).
     */
    public String replaceRefusal(Instrument next) {
        Market m = market(symbolId(next.instId()));
        if (m == null) {
            return next.instId() + " is not listed on this engine";
        }
        Instrument cur = m.instrument;
        if (!cur.base().equals(next.base()) || !cur.quote().equals(next.quote())) {
            return next.instId() + ": the base and quote assets cannot change";
        }
        if (cur.priceScale() != next.priceScale()) {
            return next.instId() + ": the price scale cannot change (prices are stored with " + cur.priceScale()
                    + " decimals)";
        }
        if (cur.tickSize() != next.tickSize() || cur.lotSize() != next.lotSize()) {
            int resting = m.book.orderCount();
            if (resting > 0) {
                return next.instId() + ": tickSz and lotSz can change only on an empty book (resting orders: " + resting
                        + ")";
            }
        }
        return null;
    }

    /**
     * Replaces the rules of a listed symbol between commands, keeping its book, trading state, last trade
     * price, book sequence and price-band override: band, reference price, breaker, fees and min/max size
     * take effect from the next command. A breaker with new settings starts with an empty window.
     *
     * @throws IllegalStateException when {@link #replaceRefusal} names a reason
     */
    public void replaceInstrument(Instrument next) {
        String refusal = replaceRefusal(next);
        if (refusal != null) {
            throw new IllegalStateException(refusal);
        }
        Market m = markets[symbolId(next.instId())];
        Instrument cur = m.instrument;
        m.instrument = next;
        if (cur.breakerBps() != next.breakerBps() || cur.breakerWindowMillis() != next.breakerWindowMillis()) {
            m.breaker = new CircuitBreaker(next.breakerBps(), next.breakerWindowMillis());
        }
    }

    /**
     * Takes a symbol off this engine with its resting orders, as when it moves to another shard. Nothing
     * is posted and no event is emitted: the orders stay live in the system of record with their funds
     * held, and the new owner restores them. {@code removed} sees each resting order just before it goes
     * (so the caller can drop its own bookkeeping of it). Symbols listed after it move down one id.
     */
    public void removeInstrument(int symbolId, Consumer<OrderView> removed) {
        Market m = market(symbolId);
        if (m == null) {
            throw new IllegalArgumentException("no symbol " + symbolId);
        }
        for (BookSide side : new BookSide[] {m.book.bids, m.book.asks}) {
            for (int i = 0; i < side.levelCount(); i++) {
                Order o = side.levelFromBest(i).head;
                while (o != null) {
                    Order next = o.next;
                    unregister(o);
                    if (removed != null) {
                        removed.accept(o);
                    }
                    free(o);
                    o = next;
                }
            }
        }
        symbolIds.remove(m.instrument.instId());
        for (int id = symbolId + 1; id < marketCount; id++) {
            Market later = markets[id];
            later.symbolId = id - 1;
            markets[id - 1] = later;
            symbolIds.put(later.instrument.instId(), id - 1);
            for (BookSide side : new BookSide[] {later.book.bids, later.book.asks}) {
                for (int i = 0; i < side.levelCount(); i++) {
                    for (Order o = side.levelFromBest(i).head; o != null; o = o.next) {
                        o.symbolId = id - 1;
                    }
                }
            }
        }
        markets[--marketCount] = null;
    }

    /** Symbol id of {@code instId}, or -1 if it is not listed. */
    public int symbolId(String instId) {
        Integer id = symbolIds.get(instId);
        return id == null ? -1 : id;
    }

    public int symbolCount() {
        return marketCount;
    }

    public Instrument instrument(int symbolId) {
        return markets[symbolId].instrument;
    }

    public OrderBook book(int symbolId) {
        return markets[symbolId].book;
    }

    public SymbolState symbolState(int symbolId) {
        return markets[symbolId].state;
    }

    public long lastTradePrice(int symbolId) {
        return markets[symbolId].lastTradePrice;
    }

    /** Reference price the band is computed from (last trade, else mid, else the default). */
    public long referencePrice(int symbolId) {
        return markets[symbolId].referencePrice();
    }

    /** A live (resting) order, or null. The view is only valid until the next command. */
    public OrderView liveOrder(long orderId) {
        return liveOrders.get(orderId);
    }

    public int liveOrderCount() {
        return liveOrders.size();
    }

    /** Number of live orders of {@code userId}. */
    public int liveOrderCount(long userId) {
        UserOrders u = users.get(userId);
        return u == null ? 0 : u.count;
    }

    public long lastSequence() {
        return sequence;
    }

    public long lastOrderId() {
        return lastOrderId;
    }

    public long lastTradeId() {
        return lastTradeId;
    }

    public long feeAccount() {
        return feeAccount;
    }

    /**
     * Replaces the symbol's price band with a tighter operator setting ({@code bps} 1..9999), or puts the
     * instrument's own band back ({@code bps} 0). Control-plane input applied between commands: it changes
     * which prices later commands may use and how much a market buy holds, nothing already done.
     */
    public void setPriceBandOverride(int symbolId, int bps) {
        Market m = market(symbolId);
        if (m == null || bps < 0 || bps >= 10_000) {
            throw new IllegalArgumentException("bad price band override " + bps + " for symbol " + symbolId);
        }
        m.bandOverrideBps = bps;
    }

    /** The price band in force for the symbol in bps (override or the instrument's), 0 when none. */
    public int priceBandBps(int symbolId) {
        return markets[symbolId].bandBps();
    }

    // ------------------------------------------------------------------ recovery

    /**
     * Puts back a symbol's trading state, last trade price and book sequence as they were stored, before
     * its orders are restored (at start-up, or when the symbol moved here from another shard). Emits no events: recovery rebuilds state, it does not trade. The circuit
     * breaker's window starts empty.
     */
    public void restoreMarket(int symbolId, SymbolState state, long lastTradePrice, long bookSeqId) {
        Market m = market(symbolId);
        if (m == null || state == null || lastTradePrice < 0 || bookSeqId < 0) {
            throw new IllegalArgumentException("bad market state for symbol " + symbolId);
        }
        // the last trade may be off the grid: the tick can change after it (on an empty book); the band is
        // snapped onto the grid and nothing trades at the last price itself
        m.state = state;
        m.lastTradePrice = lastTradePrice;
        m.book.seqId = bookSeqId;
    }

    /**
     * Puts back one resting order exactly as stored, at the tail of its price queue: restore the orders
     * of a symbol in their queue order (by the sequence at which each last entered its queue). Its funds
     * are already held in the balances, so nothing is posted and no event is emitted.
     *
     * <p>Refuses, with {@link IllegalStateException}, anything that would make the rebuilt engine differ
     * from what was committed: an unknown symbol, an id beyond the restored counters or already live, a
     * duplicate live clOrdId, a price or size off the grid, a hold that does not match the remaining size,
     * or an order that would cross the opposite side of the book.
     */
    public void restoreOrder(long orderId, long userId, int symbolId, String clOrdId, Side side, OrderType type,
                             StpMode stpMode, long price, long size, long filledSize, long filledQuote, long held,
                             long fee, long createdAt, long updatedAt) {
        restore(false, orderId, userId, symbolId, clOrdId, side, type, stpMode, price, size, filledSize, filledQuote, held,
                fee, createdAt, updatedAt);
    }

    /**
     * {@link #restoreOrder} for an order another shard created, on a symbol that moved here: its id comes
     * from that shard's id range, so it is not checked against this engine's order counter (ranges never
     * overlap, so this engine never hands out the same id). Every other check applies.
     */
    public void adoptOrder(long orderId, long userId, int symbolId, String clOrdId, Side side, OrderType type,
                           StpMode stpMode, long price, long size, long filledSize, long filledQuote, long held,
                           long fee, long createdAt, long updatedAt) {
        restore(true, orderId, userId, symbolId, clOrdId, side, type, stpMode, price, size, filledSize, filledQuote, held,
                fee, createdAt, updatedAt);
    }

    private void restore(boolean foreign, long orderId, long userId, int symbolId, String clOrdId, Side side,
                         OrderType type, StpMode stpMode, long price, long size, long filledSize, long filledQuote,
                         long held, long fee, long createdAt, long updatedAt) {
        Market m = market(symbolId);
        if (m == null) {
            throw new IllegalStateException("restore: unknown symbol " + symbolId + " for order " + orderId);
        }
        Instrument ins = m.instrument;
        if (orderId <= 0 || (!foreign && orderId > lastOrderId) || liveOrders.get(orderId) != null) {
            throw new IllegalStateException("restore: order id " + orderId + " is beyond the last order id "
                    + lastOrderId + " or already live");
        }
        if (side == null || type == null || !type.rests() || stpMode == null) {
            throw new IllegalStateException("restore: order " + orderId + " is not a resting limit or post-only order");
        }
        long remaining = size - filledSize;
        if (price <= 0 || !ins.onTick(price) || size <= 0 || !ins.onLot(size) || filledSize < 0 || remaining <= 0
                || !ins.onLot(filledSize) || filledQuote < 0) {
            throw new IllegalStateException("restore: order " + orderId + " has a price or size off the grid, or nothing left");
        }
        long expectedHeld;
        try {
            expectedHeld = restingHold(ins, side, price, remaining);
        } catch (ArithmeticException e) {
            throw new IllegalStateException("restore: order " + orderId + " has a quote amount that overflows");
        }
        if (held != expectedHeld) {
            throw new IllegalStateException("restore: order " + orderId + " holds " + held + " but its remaining size needs "
                    + expectedHeld);
        }
        if (clOrdId != null) {
            UserOrders u = users.get(userId);
            if (!validClOrdId(clOrdId) || (u != null && u.byClOrdId(clOrdId) != null)) {
                throw new IllegalStateException("restore: order " + orderId + " has an invalid or duplicate clOrdId");
            }
        }
        if (crosses(m, side, price)) {
            throw new IllegalStateException("restore: order " + orderId + " at " + price + " would cross the book");
        }
        Order o = allocate();
        o.orderId = orderId;
        o.userId = userId;
        o.symbolId = symbolId;
        o.clOrdId = clOrdId;
        o.side = side;
        o.type = type;
        o.stpMode = stpMode;
        o.targetCurrency = TargetCurrency.BASE_CCY;
        o.price = price;
        o.holdPrice = price;
        o.size = size;
        o.filledSize = filledSize;
        o.filledQuote = filledQuote;
        o.remainingSize = remaining;
        o.quoteBudgetLeft = 0;
        o.held = held;
        o.fee = fee;
        o.state = filledSize > 0 ? OrderState.PARTIALLY_FILLED : OrderState.LIVE;
        o.createdAt = createdAt;
        o.updatedAt = updatedAt;
        m.book.side(side).findOrCreate(price).append(o);
        if (foreign) {
            liveOrders.putForeign(o);
        } else {
            liveOrders.put(o);
        }
        userOrders(userId).addInIdOrder(o); // mass cancels then visit the user's orders as before the restart
    }

    // ------------------------------------------------------------------ commands

    /**
     * Executes one command. Returns {@code null} if it was accepted, or the reason it was rejected
     * (also stored in the command, along with its sequence number and resulting order id).
     */
    public RejectReason execute(Command c) {
        long seq = ++sequence;
        c.sequence = seq;
        c.resultOrderId = 0;
        c.resultCount = 0;
        now = c.timestamp;
        stopReason = null;
        RejectReason r;
        if (c.type == null) {
            r = RejectReason.UNKNOWN_COMMAND;
        } else {
            r = switch (c.type) {
                case PLACE -> place(c, seq);
                case CANCEL -> cancel(c, seq);
                case AMEND -> amend(c, seq);
                case MASS_CANCEL -> massCancel(c, seq);
                case SET_SYMBOL_STATE -> setSymbolState(c, seq);
            };
        }
        c.rejectReason = r;
        if (r != null) {
            c.resultOrderId = 0; // a rejected command acted on no order
            listener.onCommandRejected(seq, c, r);
        }
        return r;
    }

    private Market market(int symbolId) {
        return symbolId >= 0 && symbolId < marketCount ? markets[symbolId] : null;
    }

    private static boolean validClOrdId(String s) {
        int n = s.length();
        if (n == 0 || n > MAX_CL_ORD_ID) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char ch = s.charAt(i);
            if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9'))) {
                return false;
            }
        }
        return true;
    }

    private RejectReason place(Command c, long seq) {
        Market m = market(c.symbolId);
        if (m == null) {
            return RejectReason.INSTRUMENT_NOT_FOUND;
        }
        if (m.state != SymbolState.TRADING) {
            return m.state == SymbolState.HALTED ? RejectReason.SYMBOL_HALTED : RejectReason.SYMBOL_CANCEL_ONLY;
        }
        if (c.side == null) {
            return RejectReason.INVALID_SIDE;
        }
        OrderType type = c.orderType;
        if (type == null) {
            return RejectReason.INVALID_ORDER_TYPE;
        }
        Instrument ins = m.instrument;
        StpMode stp = c.stpMode == null ? StpMode.CANCEL_MAKER : c.stpMode;
        if (c.clOrdId != null && !validClOrdId(c.clOrdId)) {
            return RejectReason.INVALID_CL_ORD_ID;
        }
        if (stp == StpMode.CANCEL_BOTH && type == OrderType.FOK) {
            return RejectReason.STP_FOK_CANCEL_BOTH;
        }
        boolean buy = c.side == Side.BUY;
        boolean quoteBudget = type == OrderType.MARKET && c.targetCurrency == TargetCurrency.QUOTE_CCY;
        if (type != OrderType.MARKET && c.targetCurrency == TargetCurrency.QUOTE_CCY) {
            return RejectReason.INVALID_TGT_CCY;
        }
        if (quoteBudget && !buy) {
            return RejectReason.INVALID_TGT_CCY;
        }
        long size = c.size;
        if (size <= 0) {
            return RejectReason.INVALID_SIZE;
        }
        if (!quoteBudget) {
            RejectReason r = checkSize(ins, size);
            if (r != null) {
                return r;
            }
        }
        long price = 0;
        if (type.priced()) {
            price = c.price;
            RejectReason r = checkPrice(m, price);
            if (r != null) {
                return r;
            }
        }
        long holdPrice = price;
        if (type == OrderType.MARKET && buy && !quoteBudget) {
            holdPrice = m.bandUpper();
            if (holdPrice == Long.MAX_VALUE) {
                return RejectReason.MARKET_BUY_UNBOUNDED;
            }
        }
        if (c.clOrdId != null) {
            UserOrders user = users.get(c.userId);
            if (user != null && user.byClOrdId(c.clOrdId) != null) {
                return RejectReason.DUPLICATE_CL_ORD_ID;
            }
        }
        if (type == OrderType.POST_ONLY && crosses(m, c.side, price)) {
            return RejectReason.POST_ONLY_WOULD_TAKE;
        }
        if (type == OrderType.FOK && !fokFillable(m, c.userId, c.side, price, size, stp)) {
            return RejectReason.FOK_NOT_FILLABLE;
        }
        long hold;
        try {
            if (quoteBudget) {
                hold = size;
            } else if (type == OrderType.MARKET) {
                hold = buy ? ins.quoteAmount(holdPrice, size) : size;
            } else {
                hold = restingHold(ins, c.side, price, size);
            }
        } catch (ArithmeticException e) {
            return RejectReason.AMOUNT_OVERFLOW;
        }
        int holdAsset = heldAsset(ins, c.side);
        long orderId = lastOrderId + 1;
        postings.begin(PostingKind.HOLD, m.symbolId, orderId, 0)
                .move(c.userId, holdAsset, Bucket.AVAILABLE, Bucket.HELD, hold);
        if (!balances.apply(postings)) {
            return RejectReason.INSUFFICIENT_BALANCE;
        }
        // accepted: from here on nothing can reject
        lastOrderId = orderId;
        Order o = allocate();
        o.orderId = orderId;
        o.userId = c.userId;
        o.symbolId = m.symbolId;
        o.clOrdId = c.clOrdId;
        o.side = c.side;
        o.type = type;
        o.stpMode = stp;
        o.targetCurrency = quoteBudget ? TargetCurrency.QUOTE_CCY : TargetCurrency.BASE_CCY;
        o.price = price;
        o.holdPrice = holdPrice;
        o.size = size;
        o.filledSize = 0;
        o.filledQuote = 0;
        o.remainingSize = quoteBudget ? 0 : size;
        o.quoteBudgetLeft = quoteBudget ? size : 0;
        o.held = hold;
        o.fee = 0;
        o.state = OrderState.LIVE;
        o.createdAt = now;
        o.updatedAt = now;
        c.resultOrderId = orderId;
        listener.onPostings(seq, postings);
        listener.onOrderAccepted(seq, o);
        match(m, o, seq);
        finishTaker(m, o, seq, false);
        return null;
    }

    private static RejectReason checkSize(Instrument ins, long size) {
        if (!ins.onLot(size)) {
            return RejectReason.SIZE_NOT_ON_LOT;
        }
        if (size < ins.minSize()) {
            return RejectReason.SIZE_BELOW_MIN;
        }
        if (size > ins.maxSize()) {
            return RejectReason.SIZE_ABOVE_MAX;
        }
        return null;
    }

    private static RejectReason checkPrice(Market m, long price) {
        if (price <= 0) {
            return RejectReason.INVALID_PRICE;
        }
        if (!m.instrument.onTick(price)) {
            return RejectReason.PRICE_NOT_ON_TICK;
        }
        if (m.bandBps() > 0 && (price > m.bandUpper() || price < m.bandLower())) {
            return RejectReason.PRICE_OUT_OF_BAND;
        }
        return null;
    }

    /** Would an order at {@code price} on {@code side} take liquidity? */
    private static boolean crosses(Market m, Side side, long price) {
        PriceLevel best = m.book.side(side.opposite()).best();
        if (best == null) {
            return false;
        }
        return side == Side.BUY ? best.price <= price : best.price >= price;
    }

    /**
     * Can a fill-or-kill order fill completely right now? Walks the book the way matching would:
     * own orders are canceled and skipped under cancel_maker, end the walk otherwise; a price that
     * would trip the breaker ends it too.
     */
    private boolean fokFillable(Market m, long userId, Side side, long limit, long size, StpMode stp) {
        BookSide opp = m.book.side(side.opposite());
        long need = size;
        long first = -1;
        for (int i = 0; i < opp.levelCount() && need > 0; i++) {
            PriceLevel l = opp.levelFromBest(i);
            if (side == Side.BUY ? l.price > limit : l.price < limit) {
                return false;
            }
            if (first < 0) {
                first = l.price;
            }
            if (m.breaker.wouldTrip(now, Math.min(first, l.price), Math.max(first, l.price))) {
                return false;
            }
            for (Order o = l.head; o != null && need > 0; o = o.next) {
                if (o.userId == userId) {
                    if (stp == StpMode.CANCEL_MAKER) {
                        continue;
                    }
                    return false;
                }
                need -= Math.min(need, o.remainingSize);
            }
        }
        return need == 0;
    }

    // ------------------------------------------------------------------ matching

    /** Takes liquidity for {@code t} until it is filled, stops crossing, or a stop reason is set. */
    private void match(Market m, Order t, long seq) {
        BookSide opp = m.book.side(t.side.opposite());
        boolean buy = t.side == Side.BUY;
        boolean quoteBudget = t.targetCurrency == TargetCurrency.QUOTE_CCY;
        long limit;
        boolean bandLimited = false;
        if (t.type == OrderType.MARKET) {
            limit = buy ? m.bandUpper() : m.bandLower();
            bandLimited = buy ? limit != Long.MAX_VALUE : limit != 0;
        } else {
            limit = t.price;
        }
        budgetExhausted = false;
        while (quoteBudget || t.remainingSize > 0) {
            if (quoteBudget && t.quoteBudgetLeft == 0) {
                budgetExhausted = true; // spent to the last unit: filled, whatever the book holds next
                break;
            }
            PriceLevel level = opp.best();
            if (level == null) {
                break;
            }
            long px = level.price;
            if (buy ? px > limit : px < limit) {
                if (bandLimited) {
                    stopReason = CancelReason.PRICE_BAND;
                }
                break;
            }
            Order maker = level.head;
            if (maker.userId == t.userId) {
                StpMode stp = t.stpMode;
                if (stp == StpMode.CANCEL_MAKER || stp == StpMode.CANCEL_BOTH) {
                    cancelResting(m, maker, CancelReason.SELF_TRADE_PREVENTION, seq);
                }
                if (stp == StpMode.CANCEL_MAKER) {
                    continue;
                }
                stopReason = CancelReason.SELF_TRADE_PREVENTION;
                break;
            }
            if (m.breaker.wouldTrip(now, px, px)) {
                stopReason = CancelReason.CIRCUIT_BREAKER;
                changeState(m, SymbolState.HALTED, StateChangeReason.CIRCUIT_BREAKER, seq);
                break;
            }
            long qty;
            if (quoteBudget) {
                qty = Math.min(maker.remainingSize, m.instrument.sizeForQuote(px, t.quoteBudgetLeft));
                if (qty == 0) {
                    budgetExhausted = true;
                    break;
                }
            } else {
                qty = Math.min(t.remainingSize, maker.remainingSize);
            }
            executeFill(m, t, maker, level, opp, px, qty, seq);
        }
    }

    private void executeFill(Market m, Order t, Order maker, PriceLevel level, BookSide opp, long px, long qty,
                             long seq) {
        Instrument ins = m.instrument;
        int base = ins.base().id();
        int quote = ins.quote().id();
        long quoteAmt = ins.quoteAmount(px, qty);
        long tradeId = ++lastTradeId;
        boolean takerBuys = t.side == Side.BUY;
        Order buyer = takerBuys ? t : maker;
        Order seller = takerBuys ? maker : t;
        long buyerFee = fee(qty, takerBuys ? ins.takerFeeRate() : ins.makerFeeRate(), base);
        long sellerFee = fee(quoteAmt, takerBuys ? ins.makerFeeRate() : ins.takerFeeRate(), quote);
        // the buyer's quote is held at its hold price (limit, or band edge for a market buy)
        long buyerHeldUsed = buyer.targetCurrency == TargetCurrency.QUOTE_CCY
                ? quoteAmt : ins.quoteAmount(buyer.holdPrice, qty);
        long buyerRelease = buyerHeldUsed - quoteAmt;

        postings.begin(PostingKind.FILL, m.symbolId, t.orderId, tradeId)
                .add(seller.userId, Bucket.HELD, base, -qty)
                .add(buyer.userId, Bucket.AVAILABLE, base, qty - buyerFee)
                .add(feeAccount, Bucket.AVAILABLE, base, buyerFee)
                .add(buyer.userId, Bucket.HELD, quote, -buyerHeldUsed)
                .add(buyer.userId, Bucket.AVAILABLE, quote, buyerRelease)
                .add(seller.userId, Bucket.AVAILABLE, quote, quoteAmt - sellerFee)
                .add(feeAccount, Bucket.AVAILABLE, quote, sellerFee);
        if (!balances.apply(postings)) {
            throw new IllegalStateException("fill postings refused by the balance port: " + postings);
        }

        buyer.held -= buyerHeldUsed;
        buyer.fee += buyerFee;
        seller.held -= qty;
        seller.fee += sellerFee;
        for (Order o = t; ; o = maker) {
            o.filledSize += qty;
            o.filledQuote += quoteAmt;
            o.updatedAt = now;
            if (o == maker || o.targetCurrency != TargetCurrency.QUOTE_CCY) {
                o.remainingSize -= qty;
            }
            if (o == maker) {
                break;
            }
        }
        if (t.targetCurrency == TargetCurrency.QUOTE_CCY) {
            t.quoteBudgetLeft -= quoteAmt;
        }
        level.totalSize -= qty;
        m.lastTradePrice = px;
        m.breaker.record(now, px);

        Fill f = fill;
        f.tradeId = tradeId;
        f.symbolId = m.symbolId;
        f.price = px;
        f.size = qty;
        f.quoteAmount = quoteAmt;
        f.takerSide = t.side;
        f.takerOrderId = t.orderId;
        f.takerUserId = t.userId;
        f.makerOrderId = maker.orderId;
        f.makerUserId = maker.userId;
        f.takerFee = takerBuys ? buyerFee : sellerFee;
        f.takerFeeAsset = takerBuys ? base : quote;
        f.makerFee = takerBuys ? sellerFee : buyerFee;
        f.makerFeeAsset = takerBuys ? quote : base;
        f.timestamp = now;
        listener.onPostings(seq, postings);
        listener.onFill(seq, f);

        if (maker.remainingSize == 0) {
            maker.state = OrderState.FILLED;
            leaveQueue(m, maker);
            unregister(maker);
            releaseHeld(m, maker, seq); // nothing is left by construction; kept for safety
            listener.onOrderUpdated(seq, maker);
            bookLevel(m, opp.side, px, level, seq);
            free(maker);
        } else {
            maker.state = OrderState.PARTIALLY_FILLED;
            listener.onOrderUpdated(seq, maker);
            bookLevel(m, opp.side, px, level, seq);
        }
    }

    /**
     * Fee on {@code received} units at {@code rate} (scale 8), charged in the received asset. Fees
     * round up, rebates round down (never in the user's favour), and a rebate is limited to what the
     * fee account holds in that asset so that no balance goes negative.
     */
    private long fee(long received, long rate, int asset) {
        if (rate == 0 || received == 0) {
            return 0;
        }
        long one = Instrument.FEE_RATE_ONE;
        long q = received / one;
        long r = received % one;
        if (rate > 0) {
            return q * rate + (r * rate + one - 1) / one;
        }
        long rebate = q * -rate + (r * -rate) / one;
        return -Math.min(rebate, balances.available(feeAccount, asset));
    }

    /** Finishes the taker after matching: rests it, marks it filled, or cancels its rest. */
    private void finishTaker(Market m, Order t, long seq, boolean registered) {
        boolean quoteBudget = t.targetCurrency == TargetCurrency.QUOTE_CCY;
        boolean filled = quoteBudget ? budgetExhausted && t.filledSize > 0 && stopReason == null
                : t.remainingSize == 0;
        if (filled) {
            t.state = OrderState.FILLED;
            t.updatedAt = now;
            if (registered) {
                unregister(t);
            }
            releaseHeld(m, t, seq); // quote-budget dust; zero otherwise
            listener.onOrderUpdated(seq, t);
            free(t);
            return;
        }
        if (stopReason == null && t.type.rests()) {
            t.state = t.filledSize > 0 ? OrderState.PARTIALLY_FILLED : OrderState.LIVE;
            BookSide side = m.book.side(t.side);
            PriceLevel level = side.findOrCreate(t.price);
            level.append(t);
            if (!registered) {
                register(t);
            }
            if (t.filledSize > 0) {
                listener.onOrderUpdated(seq, t);
            }
            bookLevel(m, t.side, t.price, level, seq);
            return;
        }
        CancelReason reason = stopReason;
        if (reason == null) {
            reason = t.type == OrderType.MARKET ? CancelReason.MARKET_REMAINDER : CancelReason.IOC_REMAINDER;
        }
        if (registered) {
            unregister(t);
        }
        finishCancel(m, t, reason, seq);
    }

    // ------------------------------------------------------------------ cancel / amend

    private Order findOwned(Command c) {
        Order o = null;
        if (c.orderId > 0) {
            o = liveOrders.get(c.orderId);
        } else if (c.clOrdId != null) {
            UserOrders u = users.get(c.userId);
            o = u == null ? null : u.byClOrdId(c.clOrdId);
        }
        if (o == null || o.userId != c.userId || (c.symbolId >= 0 && o.symbolId != c.symbolId)) {
            return null;
        }
        return o;
    }

    private RejectReason cancel(Command c, long seq) {
        if (c.orderId <= 0 && c.clOrdId == null) {
            return RejectReason.ORDER_ID_REQUIRED;
        }
        Order o = findOwned(c);
        if (o == null) {
            return RejectReason.CANCEL_ORDER_NOT_FOUND;
        }
        c.resultOrderId = o.orderId;
        cancelResting(markets[o.symbolId], o, CancelReason.USER, seq);
        return null;
    }

    private RejectReason massCancel(Command c, long seq) {
        if (c.symbolId >= 0 && market(c.symbolId) == null) {
            return RejectReason.INSTRUMENT_NOT_FOUND;
        }
        UserOrders u = users.get(c.userId);
        int n = 0;
        Order o = u == null ? null : u.head;
        while (o != null) {
            Order next = o.userNext;
            if (c.symbolId < 0 || o.symbolId == c.symbolId) {
                cancelResting(markets[o.symbolId], o, CancelReason.MASS_CANCEL, seq);
                n++;
            }
            o = next;
        }
        c.resultCount = n;
        return null;
    }

    private RejectReason amend(Command c, long seq) {
        if (c.orderId <= 0 && c.clOrdId == null) {
            return RejectReason.ORDER_ID_REQUIRED;
        }
        Order o = findOwned(c);
        if (o == null) {
            return RejectReason.AMEND_ORDER_NOT_FOUND;
        }
        Market m = markets[o.symbolId];
        if (m.state == SymbolState.HALTED) {
            return RejectReason.SYMBOL_HALTED;
        }
        if (c.newSize == 0 && c.newPrice == 0) {
            return RejectReason.AMEND_NOTHING;
        }
        Instrument ins = m.instrument;
        if (c.newSize < 0) {
            return RejectReason.INVALID_SIZE;
        }
        if (c.newSize > 0) {
            if (!ins.onLot(c.newSize)) {
                return RejectReason.SIZE_NOT_ON_LOT;
            }
            if (c.newSize > ins.maxSize()) {
                return RejectReason.SIZE_ABOVE_MAX;
            }
        }
        long newSize = c.newSize > 0 ? c.newSize : o.size;
        long newPrice = c.newPrice != 0 ? c.newPrice : o.price;
        boolean priceChange = newPrice != o.price;
        boolean sizeUp = newSize > o.size;
        if (m.state == SymbolState.CANCEL_ONLY && (priceChange || sizeUp)) {
            return RejectReason.SYMBOL_CANCEL_ONLY;
        }
        if (priceChange) {
            RejectReason r = checkPrice(m, newPrice);
            if (r != null) {
                return r;
            }
        }
        c.resultOrderId = o.orderId;
        if (newSize <= o.filledSize) {
            cancelResting(m, o, CancelReason.AMEND_BELOW_FILLED, seq);
            return null;
        }
        if (priceChange && o.type == OrderType.POST_ONLY && crosses(m, o.side, newPrice)) {
            return RejectReason.AMEND_POST_ONLY_WOULD_TAKE;
        }
        long newRemaining = newSize - o.filledSize;
        long newHeld;
        try {
            newHeld = restingHold(ins, o.side, newPrice, newRemaining);
        } catch (ArithmeticException e) {
            return RejectReason.AMOUNT_OVERFLOW;
        }
        int asset = heldAsset(ins, o.side);
        long delta = newHeld - o.held;
        if (delta > 0) {
            postings.begin(PostingKind.HOLD, m.symbolId, o.orderId, 0)
                    .move(o.userId, asset, Bucket.AVAILABLE, Bucket.HELD, delta);
            if (!balances.apply(postings)) {
                return RejectReason.INSUFFICIENT_BALANCE;
            }
        } else if (delta < 0) {
            postings.begin(PostingKind.RELEASE, m.symbolId, o.orderId, 0)
                    .move(o.userId, asset, Bucket.HELD, Bucket.AVAILABLE, -delta);
            if (!balances.apply(postings)) {
                throw new IllegalStateException("release refused by the balance port: " + postings);
            }
        }
        // accepted
        PriceLevel level = o.level;
        o.updatedAt = now;
        o.held = newHeld;
        if (!priceChange && !sizeUp) {
            // size down (or unchanged): keeps its place in the queue
            boolean levelChanged = newRemaining != o.remainingSize;
            level.totalSize -= o.remainingSize - newRemaining;
            o.remainingSize = newRemaining;
            o.size = newSize;
            if (delta != 0) {
                listener.onPostings(seq, postings);
            }
            listener.onOrderAmended(seq, o, true);
            if (levelChanged) { // an unchanged size leaves the book (and its seqId) alone
                bookLevel(m, o.side, o.price, level, seq);
            }
            return null;
        }
        // price change or size up: leaves the queue and re-enters as if new (may take liquidity)
        long oldPrice = o.price;
        leaveQueue(m, o);
        o.price = newPrice;
        o.holdPrice = newPrice;
        o.size = newSize;
        o.remainingSize = newRemaining;
        if (delta != 0) {
            listener.onPostings(seq, postings);
        }
        listener.onOrderAmended(seq, o, false);
        bookLevel(m, o.side, oldPrice, level, seq);
        match(m, o, seq);
        finishTaker(m, o, seq, true);
        return null;
    }

    private RejectReason setSymbolState(Command c, long seq) {
        Market m = market(c.symbolId);
        if (m == null) {
            return RejectReason.INSTRUMENT_NOT_FOUND;
        }
        if (c.targetState == null) {
            return RejectReason.INVALID_STATE;
        }
        if (m.state != c.targetState) {
            changeState(m, c.targetState, StateChangeReason.OPERATOR, seq);
        }
        return null;
    }

    private void changeState(Market m, SymbolState to, StateChangeReason reason, long seq) {
        SymbolState from = m.state;
        m.state = to;
        if (to == SymbolState.TRADING) {
            // a resumed symbol starts a fresh breaker window
            m.breaker.reset();
        }
        listener.onSymbolState(seq, m.symbolId, from, to, reason);
    }

    // ------------------------------------------------------------------ helpers

    /** Removes a resting order from the book and its user's list, releases its funds, reports the cancel. */
    private void cancelResting(Market m, Order o, CancelReason reason, long seq) {
        PriceLevel level = leaveQueue(m, o);
        unregister(o);
        bookLevel(m, o.side, o.price, level, seq);
        finishCancel(m, o, reason, seq);
    }

    /** Takes a resting order out of its price queue, dropping the level if it empties; returns the level. */
    private static PriceLevel leaveQueue(Market m, Order o) {
        PriceLevel level = o.level;
        level.unlink(o);
        if (level.isEmpty()) {
            m.book.side(o.side).remove(level);
        }
        return level;
    }

    /** Reports a level's new aggregate; a level that emptied (and went back to the pool) reports size 0. */
    private void bookLevel(Market m, Side side, long price, PriceLevel level, long seq) {
        boolean gone = level.isEmpty();
        bookLevel(m, side, price, gone ? 0 : level.totalSize, gone ? 0 : level.orderCount, seq);
    }

    private void finishCancel(Market m, Order o, CancelReason reason, long seq) {
        o.state = OrderState.CANCELED;
        o.updatedAt = now;
        releaseHeld(m, o, seq);
        listener.onOrderCanceled(seq, o, reason);
        free(o);
    }

    private void releaseHeld(Market m, Order o, long seq) {
        if (o.held == 0) {
            return;
        }
        int asset = heldAsset(m.instrument, o.side);
        postings.begin(PostingKind.RELEASE, m.symbolId, o.orderId, 0)
                .move(o.userId, asset, Bucket.HELD, Bucket.AVAILABLE, o.held);
        if (!balances.apply(postings)) {
            throw new IllegalStateException("release refused by the balance port: " + postings);
        }
        o.held = 0;
        listener.onPostings(seq, postings);
    }

    /** The asset an order on {@code side} holds: quote for a buy, base for a sell. */
    private static int heldAsset(Instrument ins, Side side) {
        return side == Side.BUY ? ins.quote().id() : ins.base().id();
    }

    /**
     * What a resting order with {@code remaining} at {@code price} holds: its quote amount for a buy, its
     * size for a sell. The quote amount is computed for sells too, so an ask whose notional cannot be
     * represented is refused before it can reach a quote-budget buyer.
     *
     * @throws ArithmeticException if the quote amount does not fit a {@code long}
     */
    private static long restingHold(Instrument ins, Side side, long price, long remaining) {
        long quote = ins.quoteAmount(price, remaining);
        return side == Side.BUY ? quote : remaining;
    }

    private void bookLevel(Market m, Side side, long price, long size, int count, long seq) {
        if (m.bookChangedAtSeq != seq) {
            m.bookChangedAtSeq = seq;
            m.book.seqId++;
        }
        listener.onBookLevel(seq, m.symbolId, side, price, size, count, m.book.seqId);
    }

    private void register(Order o) {
        liveOrders.put(o);
        userOrders(o.userId).add(o);
    }

    private UserOrders userOrders(long userId) {
        UserOrders u = users.get(userId);
        if (u == null) {
            u = new UserOrders();
            users.put(userId, u);
        }
        return u;
    }

    private void unregister(Order o) {
        liveOrders.remove(o.orderId);
        users.get(o.userId).remove(o);
    }

    private Order allocate() {
        Order o = freeOrders;
        if (o == null) {
            return new Order();
        }
        freeOrders = o.next;
        o.next = null;
        return o;
    }

    private void free(Order o) {
        o.clOrdId = null;
        o.prev = null;
        o.level = null;
        o.next = freeOrders;
        freeOrders = o;
    }
}
