package dev.bourse.client.book;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bourse.client.ws.WsPush;
import dev.bourse.client.ws.model.BookData;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Local order books built from WebSocket pushes, one per (channel, instrument). {@link #apply} takes a push of
 * {@code books} (also {@code books-l2-tbt}, {@code books50-l2-tbt}: snapshot, then updates), {@code books5} or
 * {@code bbo-tbt} (every push a snapshot) and fails with {@link OrderBookSequenceException} (gap),
 * {@link OrderBookChecksumException} (checksum mismatch; skipped when the server sends 0) or
 * {@link OrderBookNotReadyException} (update before a snapshot). Recover with {@link #reset(BookKey)} and a new
 * subscription ({@link OrderBookFeed#resync} does both).
 */
public final class OrderBookStore {
    private static final Set<String> INCREMENTAL = Set.of("books", "books-l2-tbt", "books50-l2-tbt", "books-elp");
    private static final Set<String> SNAPSHOTS = Set.of("books5", "bbo-tbt");

    private final ObjectMapper mapper;
    private final Map<BookKey, LocalOrderBook> books = new ConcurrentHashMap<>();

    public OrderBookStore() {
        this(new ObjectMapper());
    }

    public OrderBookStore(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** Whether {@code channel} is a book channel this store understands. */
    public static boolean isBookChannel(String channel) {
        return INCREMENTAL.contains(channel) || SNAPSHOTS.contains(channel);
    }

    /** Applies a typed push (from {@code ws.on(WsChannel.BOOKS, …)}); returns the book. */
    public LocalOrderBook apply(WsPush<BookData> push) {
        LocalOrderBook book = null;
        for (BookData d : push.data()) {
            book = apply(push.channel(), push.instId(), push.action(), d);
        }
        if (book == null) {
            throw new IllegalArgumentException(push.channel() + ":" + push.instId() + " push without data");
        }
        return book;
    }

    /** Applies a push as JSON ({@code {"arg":{…},"action":…,"data":[…]}}). */
    public LocalOrderBook apply(JsonNode message) {
        JsonNode arg = message.path("arg");
        String channel = arg.path("channel").asText(null);
        String instId = arg.path("instId").asText(null);
        JsonNode data = message.get("data");
        if (channel == null || instId == null || data == null || !data.isArray() || data.isEmpty()) {
            throw new IllegalArgumentException("not a book push: " + clip(message.toString()));
        }
        String action = message.path("action").asText(null);
        LocalOrderBook book = null;
        for (JsonNode d : data) {
            BookData bd;
            try {
                bd = mapper.treeToValue(d, BookData.class);
            } catch (Exception e) {
                throw new IllegalArgumentException(channel + ":" + instId + " unreadable book data: " + e.getMessage(), e);
            }
            book = apply(channel, instId, action, bd);
        }
        return book;
    }

    /** Applies a push as text. */
    public LocalOrderBook apply(String json) {
        try {
            return apply(mapper.readTree(json));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + clip(json), e);
        }
    }

    /** Applies one data item of {@code channel}; {@code action} is {@code snapshot}/{@code update} on incremental channels. */
    public LocalOrderBook apply(String channel, String instId, String action, BookData data) {
        BookKey key = new BookKey(channel, instId);
        if (SNAPSHOTS.contains(channel)) {
            LocalOrderBook b = book(key);
            b.snapshot(data, false);
            return b;
        }
        if (!INCREMENTAL.contains(channel)) {
            throw new IllegalArgumentException("not a book channel: " + channel);
        }
        LocalOrderBook b = book(key);
        if ("snapshot".equals(action)) {
            b.snapshot(data, true);
        } else if ("update".equals(action)) {
            b.update(data);
        } else {
            throw new IllegalArgumentException(key + ": action must be snapshot or update: " + action);
        }
        return b;
    }

    private LocalOrderBook book(BookKey key) {
        return books.computeIfAbsent(key, LocalOrderBook::new);
    }

    /** The book of {@code key}, if any push for it was applied. */
    public Optional<LocalOrderBook> book(String channel, String instId) {
        return Optional.ofNullable(books.get(new BookKey(channel, instId)));
    }

    /** The {@code books} (400-level) book of an instrument. */
    public Optional<LocalOrderBook> book(String instId) {
        return book("books", instId);
    }

    public Set<BookKey> keys() {
        return Set.copyOf(books.keySet());
    }

    /** Forgets one book: the next update fails with {@link OrderBookNotReadyException} until a snapshot arrives. */
    public void reset(BookKey key) {
        LocalOrderBook b = books.get(key);
        if (b != null) {
            b.reset();
        }
    }

    /** Forgets every book. */
    public void reset() {
        books.values().forEach(LocalOrderBook::reset);
    }

    private static String clip(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }
}
