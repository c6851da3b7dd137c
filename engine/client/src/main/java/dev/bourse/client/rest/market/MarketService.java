package dev.bourse.client.rest.market;

import dev.bourse.client.rest.RestTransport;

/** Public market data ({@code /api/v5/market/…}): each method returns a fresh service for one call. */
public final class MarketService {
    private final RestTransport transport;

    public MarketService(RestTransport transport) {
        this.transport = transport;
    }

    public TickersService tickers() {
        return new TickersService(transport);
    }

    public TickerService ticker() {
        return new TickerService(transport);
    }

    public BooksService books() {
        return new BooksService(transport);
    }

    public TradesService trades() {
        return new TradesService(transport);
    }

    public HistoryTradesService historyTrades() {
        return new HistoryTradesService(transport);
    }

    public CandlesService candles() {
        return new CandlesService(transport, false);
    }

    public CandlesService historyCandles() {
        return new CandlesService(transport, true);
    }
}
