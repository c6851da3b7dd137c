package dev.bourse.client.ws;

import dev.bourse.client.ws.model.AccountUpdate;
import dev.bourse.client.ws.model.BookData;
import dev.bourse.client.ws.model.Candle;
import dev.bourse.client.ws.model.OrderUpdate;
import dev.bourse.client.ws.model.Ticker;
import dev.bourse.client.ws.model.Trade;

import java.util.Objects;

/**
 * A channel name and the record its data items are read into, for typed handlers:
 * {@code ws.on(WsChannel.TICKERS, push -> …)}.
 */
public record WsChannel<T>(String name, Class<T> type) {
    public static final WsChannel<Ticker> TICKERS = new WsChannel<>("tickers", Ticker.class);
    public static final WsChannel<Trade> TRADES = new WsChannel<>("trades", Trade.class);
    public static final WsChannel<BookData> BOOKS = new WsChannel<>("books", BookData.class);
    public static final WsChannel<BookData> BOOKS5 = new WsChannel<>("books5", BookData.class);
    public static final WsChannel<BookData> BBO_TBT = new WsChannel<>("bbo-tbt", BookData.class);
    public static final WsChannel<OrderUpdate> ORDERS = new WsChannel<>("orders", OrderUpdate.class);
    public static final WsChannel<AccountUpdate> ACCOUNT = new WsChannel<>("account", AccountUpdate.class);

    public WsChannel {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }

    /** {@code candle1m}, {@code candle1H}, {@code candle1Dutc} …: {@code bar} as OKX spells it. */
    public static WsChannel<Candle> candle(String bar) {
        return new WsChannel<>("candle" + bar, Candle.class);
    }
}
