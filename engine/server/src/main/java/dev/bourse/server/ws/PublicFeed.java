package dev.bourse.server.ws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bourse.server.http.Json;
import dev.bourse.server.marketdata.Bar;
import dev.bourse.server.marketdata.BookDepth;
import dev.bourse.server.marketdata.BookLevel;
import dev.bourse.server.marketdata.BookUpdate;
import dev.bourse.server.marketdata.Candle;
import dev.bourse.server.marketdata.MarketDataListener;
import dev.bourse.server.marketdata.Ticker;
import dev.bourse.server.marketdata.Trade;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Public channels: who listens to which (channel, instId), and the OKX push messages. Each market-data
 * change is serialized once per topic and the same text is queued to every subscriber. Runs on the
 * projection's thread (under the instrument's lock), so a subscriber's snapshot and the updates after it
 * are queued in order.
 */
final class PublicFeed implements MarketDataListener {
    static final String BOOKS = "books";
    static final String BOOKS5 = "books5";
    static final String BBO = "bbo-tbt";
    static final String TRADES = "trades";
    static final String TICKERS = "tickers";
    static final String CANDLE = "candle";

    private final Map<TopicKey, Set<Connection>> topics = new ConcurrentHashMap<>();
    private final Counter snapshotResends;

    PublicFeed(MeterRegistry meters) {
        this.snapshotResends = Counter.builder("bourse_ws_snapshot_resends_total")
                .description("order-book snapshots re-sent to subscribers after the projection resynced a book (gap fill)")
                .register(meters);
    }

    static boolean isPublic(String channel) {
        return switch (channel) {
            case BOOKS, BOOKS5, BBO, TRADES, TICKERS -> true;
            default -> channel.startsWith(CANDLE) && Bar.of(channel.substring(CANDLE.length())) != null;
        };
    }

    void add(TopicKey key, Connection c) {
        topics.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(c);
        c.topics.add(key);
    }

    void remove(TopicKey key, Connection c) {
        Set<Connection> s = topics.get(key);
        if (s != null) {
            s.remove(c);
        }
        c.topics.remove(key);
    }

    void removeAll(Connection c) {
        for (TopicKey k : c.topics) {
            remove(k, c);
        }
    }

    private Set<Connection> subscribers(String channel, String instId) {
        Set<Connection> s = topics.get(new TopicKey(channel, instId));
        return s == null || s.isEmpty() ? null : s;
    }

    /** Returns how many subscribers the frame was queued for. */
    private static int send(Set<Connection> to, String json, long receivedNanos) {
        for (Connection c : to) {
            c.push(json, receivedNanos);
        }
        return to.size();
    }

    // ------------------------------------------------------------------------------------ listener

    @Override
    public void onBook(BookUpdate u) {
        Set<Connection> s = subscribers(BOOKS, u.instId());
        if (s != null) {
            send(s, books("update", u.instId(), u.bids(), u.asks(), u.ts(), u.checksum(), u.prevSeqId(), u.seqId()),
                    u.receivedNanos());
        }
        if (u.top5() != null && (s = subscribers(BOOKS5, u.instId())) != null) {
            send(s, books5(u.top5()), u.receivedNanos());
        }
        if (u.bbo() != null && (s = subscribers(BBO, u.instId())) != null) {
            send(s, bbo(u.bbo()), u.receivedNanos());
        }
    }

    @Override
    public void onBookReset(BookDepth depth) {
        long now = System.nanoTime();
        int resent = 0;
        Set<Connection> s = subscribers(BOOKS, depth.instId());
        if (s != null) {
            resent += send(s, booksSnapshot(depth), now);
        }
        if ((s = subscribers(BOOKS5, depth.instId())) != null) {
            resent += send(s, books5(top(depth, 5)), now);
        }
        if ((s = subscribers(BBO, depth.instId())) != null) {
            resent += send(s, bbo(top(depth, 1)), now);
        }
        snapshotResends.increment(resent);
    }

    @Override
    public void onTrades(String instId, List<Trade> trades, long receivedNanos) {
        Set<Connection> s = subscribers(TRADES, instId);
        if (s != null) {
            send(s, trades(instId, trades), receivedNanos);
        }
    }

    @Override
    public void onCandle(String instId, Bar bar, Candle candle, long receivedNanos) {
        String channel = CANDLE + bar.okx();
        Set<Connection> s = subscribers(channel, instId);
        if (s != null) {
            send(s, candle(channel, instId, candle), receivedNanos);
        }
    }

    @Override
    public void onTicker(Ticker t, long receivedNanos) {
        Set<Connection> s = subscribers(TICKERS, t.instId());
        if (s != null) {
            send(s, ticker(t), receivedNanos);
        }
    }

    // ------------------------------------------------------------------------------------ messages

    static BookDepth top(BookDepth d, int n) {
        return new BookDepth(d.instId(), d.bids().subList(0, Math.min(n, d.bids().size())),
                d.asks().subList(0, Math.min(n, d.asks().size())), d.seqId(), d.checksum(), d.ts(), d.ready());
    }

    private static ObjectNode root(String channel, String instId) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ObjectNode arg = root.putObject("arg");
        arg.put("channel", channel);
        arg.put("instId", instId);
        return root;
    }

    private static void levels(ObjectNode data, String field, List<BookLevel> levels) {
        ArrayNode a = data.putArray(field);
        for (BookLevel l : levels) {
            a.addArray().add(l.px()).add(l.sz()).add("0").add(Integer.toString(l.orders()));
        }
    }

    static String booksSnapshot(BookDepth d) {
        return books("snapshot", d.instId(), d.bids(), d.asks(), d.ts(), d.checksum(), -1, d.seqId());
    }

    static String books(String action, String instId, List<BookLevel> bids, List<BookLevel> asks, long ts, int checksum,
                        long prevSeqId, long seqId) {
        ObjectNode root = root(BOOKS, instId);
        root.put("action", action);
        ObjectNode data = root.putArray("data").addObject();
        levels(data, "asks", asks);
        levels(data, "bids", bids);
        data.put("ts", Long.toString(ts));
        data.put("checksum", checksum);
        data.put("prevSeqId", prevSeqId);
        data.put("seqId", seqId);
        return write(root);
    }

    static String books5(BookDepth d) {
        ObjectNode root = root(BOOKS5, d.instId());
        ObjectNode data = root.putArray("data").addObject();
        levels(data, "asks", d.asks());
        levels(data, "bids", d.bids());
        data.put("instId", d.instId());
        data.put("ts", Long.toString(d.ts()));
        data.put("seqId", d.seqId());
        return write(root);
    }

    static String bbo(BookDepth d) {
        ObjectNode root = root(BBO, d.instId());
        ObjectNode data = root.putArray("data").addObject();
        levels(data, "asks", d.asks());
        levels(data, "bids", d.bids());
        data.put("ts", Long.toString(d.ts()));
        data.put("seqId", d.seqId());
        return write(root);
    }

    static String trades(String instId, List<Trade> trades) {
        ObjectNode root = root(TRADES, instId);
        ArrayNode data = root.putArray("data");
        for (Trade t : trades) {
            ObjectNode o = data.addObject();
            o.put("instId", instId);
            o.put("tradeId", Long.toString(t.tradeId()));
            o.put("px", t.px());
            o.put("sz", t.sz());
            o.put("side", t.side());
            o.put("ts", Long.toString(t.ts()));
            o.put("count", Integer.toString(t.count()));
            o.put("source", "0");
            o.put("seqId", t.seqId());
        }
        return write(root);
    }

    static String candle(String channel, String instId, Candle c) {
        ObjectNode root = root(channel, instId);
        ArrayNode row = root.putArray("data").addArray();
        c.toOkx().forEach(row::add);
        return write(root);
    }

    static String ticker(Ticker t) {
        ObjectNode root = root(TICKERS, t.instId());
        ObjectNode o = root.putArray("data").addObject();
        o.put("instType", "SPOT");
        o.put("instId", t.instId());
        o.put("last", t.last());
        o.put("lastSz", t.lastSz());
        o.put("askPx", t.askPx());
        o.put("askSz", t.askSz());
        o.put("bidPx", t.bidPx());
        o.put("bidSz", t.bidSz());
        o.put("open24h", t.open24h());
        o.put("high24h", t.high24h());
        o.put("low24h", t.low24h());
        o.put("volCcy24h", t.volCcy24h());
        o.put("vol24h", t.vol24h());
        o.put("sodUtc0", t.sodUtc0());
        o.put("sodUtc8", t.sodUtc8());
        o.put("ts", Long.toString(t.ts()));
        return write(root);
    }

    static String write(ObjectNode n) {
        try {
            return Json.MAPPER.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
