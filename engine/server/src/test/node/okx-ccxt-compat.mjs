// Unmodified ccxt (REST class `okx`, WebSocket class `ccxt.pro.okx`) against a local Bourse engine.
// Run by OkxClientCompatIT; the only thing changed on the clients is `urls.api` and the credentials.
//
// Environment: BOURSE_URL (http://127.0.0.1:PORT), MAKER_KEY/MAKER_SECRET/MAKER_PASSPHRASE,
// TAKER_KEY/TAKER_SECRET/TAKER_PASSPHRASE, FUNDED_BTC and FUNDED_USDT (what the test deposited for
// each user). Prints one line `SUMMARY {json}` and exits 0 when every check passed; on the first failed
// check it prints the failure and exits 1.
import ccxt from 'ccxt';

const env = (name) => {
    const v = process.env[name];
    if (v === undefined || v === '') {
        throw new Error('environment variable ' + name + ' is required');
    }
    return v;
};

const base = env('BOURSE_URL').replace(/\/$/, '');
const wsBase = base.replace(/^http/, 'ws') + '/ws/v5';
const fundedBtc = Number(env('FUNDED_BTC'));
const fundedUsdt = Number(env('FUNDED_USDT'));
const SYMBOL = 'BTC/USDT';
const summary = { checks: [] };
const started = Date.now();

function check(name, ok, detail) {
    if (!ok) {
        throw new Error('check failed: ' + name + (detail === undefined ? '' : ' — ' + JSON.stringify(detail)));
    }
    summary.checks.push(name);
}

function close(a, b, eps = 1e-9) {
    return Math.abs(a - b) <= eps;
}

function withBourse(exchange) {
    exchange.urls['api'] = { rest: base, ws: wsBase };
    // COMPAT_VERBOSE=1 makes ccxt print every request and WebSocket message, for diagnosing a failure
    exchange.verbose = process.env.COMPAT_VERBOSE === '1';
    return exchange;
}

function credentials(prefix) {
    return { apiKey: env(prefix + '_KEY'), secret: env(prefix + '_SECRET'), password: env(prefix + '_PASSPHRASE') };
}

/**
 * Resolves with the first state that satisfies `pred`, or rejects after `ms`. A watch* call resolves on
 * the next message only, so an update that arrived while the script awaited something else is seen through
 * `peek` (ccxt's cache: orderbooks, tickers, trades, orders) before waiting for another message.
 */
async function watchUntil(label, watch, pred, peek, ms = 10000) {
    const deadline = Date.now() + ms;
    let last = peek();
    while (!(last !== undefined && pred(last))) {
        const remaining = deadline - Date.now();
        if (remaining <= 0) {
            throw new Error('timeout waiting for ' + label + '; last: ' + JSON.stringify(last));
        }
        let timer;
        const timeout = new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error('timeout waiting for ' + label + '; last: '
                + JSON.stringify(last))), remaining);
        });
        try {
            await Promise.race([watch(), timeout]);
        } finally {
            clearTimeout(timer);
        }
        last = peek();
    }
    return last;
}

/** A watch function that first awaits a subscription already started (`first`), then calls `next`. */
function startedWith(first, next) {
    let pending = first;
    return () => {
        const p = pending ?? next();
        pending = undefined;
        return p;
    };
}

/** ccxt's cached orders of one exchange instance, as a plain array. */
const cachedOrders = (ex) => (ex.orders === undefined ? undefined : Array.from(ex.orders));
/** ccxt's cached public trades of a symbol. */
const cachedTrades = (ex) => (ex.trades?.[SYMBOL] === undefined ? undefined : Array.from(ex.trades[SYMBOL]));

function bookLevels(book, depth = 5) {
    return {
        bids: book.bids.slice(0, depth).map(([p, a]) => [p, a]),
        asks: book.asks.slice(0, depth).map(([p, a]) => [p, a]),
    };
}

const maker = withBourse(new ccxt.okx(credentials('MAKER')));
const taker = withBourse(new ccxt.okx(credentials('TAKER')));
const anon = withBourse(new ccxt.okx());
const wsMaker = withBourse(new ccxt.pro.okx(credentials('MAKER')));
const wsAnon = withBourse(new ccxt.pro.okx());

async function main() {
    // ------------------------------------------------------------------ markets, time
    const markets = await maker.loadMarkets();
    const m = markets[SYMBOL];
    check('loadMarkets has BTC/USDT', m !== undefined, Object.keys(markets));
    check('BTC/USDT is an active spot market', m.spot === true && m.type === 'spot' && m.active === true
        && m.id === 'BTC-USDT' && m.base === 'BTC' && m.quote === 'USDT', m);
    check('BTC/USDT precision', m.precision.price === 0.1 && m.precision.amount === 0.00001, m.precision);
    check('BTC/USDT limits', m.limits.amount.min === 0.00001 && m.limits.amount.max === 1000
        && m.limits.cost.max === undefined, m.limits);
    summary.market = { id: m.id, precision: m.precision, limits: m.limits };
    await taker.loadMarkets();
    await anon.loadMarkets();

    const time = await anon.fetchTime();
    check('fetchTime is now', Math.abs(time - Date.now()) < 10000, time);
    summary.serverTime = time;

    // ------------------------------------------------------------------ balance
    const bal = await maker.fetchBalance();
    check('fetchBalance BTC funded', close(bal.BTC.total, fundedBtc) && close(bal.BTC.free, fundedBtc)
        && close(bal.BTC.used, 0), bal.BTC);
    check('fetchBalance USDT funded', close(bal.USDT.total, fundedUsdt) && close(bal.USDT.free, fundedUsdt), bal.USDT);
    summary.balance = { BTC: bal.BTC, USDT: bal.USDT };

    // ------------------------------------------------------------------ order lifecycle over REST
    const placed = await maker.createOrder(SYMBOL, 'limit', 'buy', 0.001, 57000);
    check('createOrder returns an id', typeof placed.id === 'string' && placed.id.length > 0, placed);
    const fetched = await maker.fetchOrder(placed.id, SYMBOL);
    check('fetchOrder open', fetched.id === placed.id && fetched.status === 'open' && fetched.side === 'buy'
        && fetched.type === 'limit' && fetched.price === 57000 && fetched.amount === 0.001 && fetched.filled === 0,
        fetched);
    const open = await maker.fetchOpenOrders(SYMBOL);
    check('fetchOpenOrders lists it', open.some((o) => o.id === placed.id && o.status === 'open'), open);
    const locked = await maker.fetchBalance();
    check('fetchBalance shows the order lock', close(locked.USDT.used, 57, 1e-6)
        && close(locked.USDT.free, fundedUsdt - 57, 1e-6), locked.USDT);
    const book = await anon.fetchOrderBook(SYMBOL);
    check('fetchOrderBook shows the bid', book.bids.length > 0 && book.bids[0][0] === 57000
        && close(book.bids[0][1], 0.001), book);
    summary.restBook = bookLevels(book);
    await maker.cancelOrder(placed.id, SYMBOL);
    const canceled = await maker.fetchOrder(placed.id, SYMBOL);
    check('cancelOrder → canceled', canceled.status === 'canceled', canceled);
    const openAfter = await maker.fetchOpenOrders(SYMBOL);
    check('fetchOpenOrders empty after cancel', !openAfter.some((o) => o.id === placed.id), openAfter);
    summary.restOrder = { id: placed.id, status: canceled.status };

    // ------------------------------------------------------------------ WebSocket: book, orders
    for (const ex of [wsAnon, wsMaker]) {
        // ccxt needs its HTTP agent loaded to open plain ws:// (non-TLS) connections
        await ex.loadHttpProxyAgent();
        await ex.loadMarkets();
    }
    const initialBook = await wsAnon.watchOrderBook(SYMBOL);
    check('watchOrderBook snapshot is empty after the cancel', initialBook.bids.length === 0, bookLevels(initialBook));

    // private order stream: subscribe first, then place and cancel over the WebSocket
    const firstOrders = wsMaker.watchOrders(SYMBOL);
    // give the subscription a moment to be acknowledged before the order exists
    await new Promise((r) => setTimeout(r, 300));
    const wsPlaced = await wsMaker.createOrderWs(SYMBOL, 'limit', 'buy', 0.002, 58000);
    check('createOrderWs returns an id', typeof wsPlaced.id === 'string' && wsPlaced.id.length > 0, wsPlaced);
    const liveUpdate = await watchUntil('watchOrders live', startedWith(firstOrders, () => wsMaker.watchOrders(SYMBOL)),
        (orders) => orders.some((o) => o.id === wsPlaced.id && o.status === 'open'), () => cachedOrders(wsMaker));
    check('watchOrders sees the WS order open', true);
    summary.wsOrderOpen = liveUpdate.find((o) => o.id === wsPlaced.id);

    const wsBook = await watchUntil('watchOrderBook bid', () => wsAnon.watchOrderBook(SYMBOL),
        (b) => b.bids.length > 0 && b.bids[0][0] === 58000, () => wsAnon.orderbooks[SYMBOL]);
    const restBook = await anon.fetchOrderBook(SYMBOL);
    check('watchOrderBook matches fetchOrderBook', JSON.stringify(bookLevels(wsBook)) === JSON.stringify(bookLevels(restBook)),
        { ws: bookLevels(wsBook), rest: bookLevels(restBook) });
    summary.wsBook = bookLevels(wsBook);

    await wsMaker.cancelOrderWs(wsPlaced.id, SYMBOL);
    await watchUntil('watchOrders canceled', () => wsMaker.watchOrders(SYMBOL),
        (orders) => orders.some((o) => o.id === wsPlaced.id && o.status === 'canceled'), () => cachedOrders(wsMaker));
    check('cancelOrderWs → watchOrders canceled', true);
    const wsCanceled = await maker.fetchOrder(wsPlaced.id, SYMBOL);
    check('cancelOrderWs visible over REST', wsCanceled.status === 'canceled', wsCanceled);
    summary.wsOrder = { id: wsPlaced.id, status: wsCanceled.status };
    await watchUntil('watchOrderBook empty again', () => wsAnon.watchOrderBook(SYMBOL), (b) => b.bids.length === 0,
        () => wsAnon.orderbooks[SYMBOL]);

    // ------------------------------------------------------------------ a trade between two keys
    const tradesBefore = await anon.fetchTrades(SYMBOL);
    const firstTrades = wsAnon.watchTrades(SYMBOL);
    const firstTicker = wsAnon.watchTicker(SYMBOL);
    await new Promise((r) => setTimeout(r, 300));
    const ask = await maker.createOrder(SYMBOL, 'limit', 'sell', 0.002, 60000);
    const bid = await taker.createOrder(SYMBOL, 'limit', 'buy', 0.002, 60000);
    const askDone = await maker.fetchOrder(ask.id, SYMBOL);
    const bidDone = await taker.fetchOrder(bid.id, SYMBOL);
    check('crossing orders filled', askDone.status === 'closed' && bidDone.status === 'closed'
        && askDone.filled === 0.002 && bidDone.filled === 0.002 && bidDone.average === 60000, { askDone, bidDone });

    const wsTrades = await watchUntil('watchTrades', startedWith(firstTrades, () => wsAnon.watchTrades(SYMBOL)),
        (ts) => ts.some((t) => t.price === 60000 && close(t.amount, 0.002)), () => cachedTrades(wsAnon));
    const wsTrade = wsTrades.find((t) => t.price === 60000);
    check('watchTrades sees the trade', wsTrade.side === 'buy', wsTrade);
    const ticker = await watchUntil('watchTicker', startedWith(firstTicker, () => wsAnon.watchTicker(SYMBOL)),
        (t) => t.last === 60000, () => wsAnon.tickers[SYMBOL]);
    check('watchTicker last', ticker.symbol === SYMBOL, ticker);

    const restTicker = await anon.fetchTicker(SYMBOL);
    check('fetchTicker last', restTicker.symbol === SYMBOL && restTicker.last === 60000, restTicker);
    const publicTrades = await anon.fetchTrades(SYMBOL);
    check('fetchTrades has the trade', publicTrades.length === tradesBefore.length + 1
        && publicTrades.some((t) => t.id === wsTrade.id && t.price === 60000 && close(t.amount, 0.002) && t.side === 'buy'),
        publicTrades);

    const makerFills = await maker.fetchMyTrades(SYMBOL);
    const takerFills = await taker.fetchMyTrades(SYMBOL);
    const makerFill = makerFills.find((t) => t.order === ask.id);
    const takerFill = takerFills.find((t) => t.order === bid.id);
    check('fetchMyTrades maker side', makerFill !== undefined && makerFill.side === 'sell' && makerFill.price === 60000
        && close(makerFill.amount, 0.002) && makerFill.takerOrMaker === 'maker', makerFills);
    check('fetchMyTrades taker side', takerFill !== undefined && takerFill.side === 'buy' && takerFill.price === 60000
        && close(takerFill.amount, 0.002) && takerFill.takerOrMaker === 'taker', takerFills);
    check('both fills are the public trade', makerFill.id === takerFill.id && takerFill.id === wsTrade.id,
        { maker: makerFill.id, taker: takerFill.id, public: wsTrade.id });
    summary.trade = {
        id: wsTrade.id, price: wsTrade.price, amount: wsTrade.amount, side: wsTrade.side,
        makerFee: makerFill.fee, takerFee: takerFill.fee, ticker: { last: restTicker.last },
    };

    const after = await taker.fetchBalance();
    check('taker BTC grew by the fill less the fee', close(after.BTC.total, fundedBtc + 0.002 - (takerFill.fee?.cost ?? 0), 1e-8),
        { BTC: after.BTC, fee: takerFill.fee });
    summary.takerBalanceAfter = { BTC: after.BTC.total, USDT: after.USDT.total };
}

let failure;
try {
    await main();
} catch (e) {
    failure = e;
} finally {
    for (const ex of [wsMaker, wsAnon]) {
        try {
            await ex.close();
        } catch (ignored) {
            // closing after a failure must not hide the failure
        }
    }
}
summary.millis = Date.now() - started;
if (failure) {
    summary.failure = String(failure);
    console.log('SUMMARY ' + JSON.stringify(summary));
    console.error(failure);
    process.exit(1);
}
summary.ok = true;
console.log('SUMMARY ' + JSON.stringify(summary));
process.exit(0);
