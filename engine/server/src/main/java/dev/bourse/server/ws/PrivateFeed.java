package dev.bourse.server.ws;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bourse.server.ledger.AccountBalances;
import dev.bourse.fixed.Decimals;
import dev.bourse.instrument.Instrument;
import dev.bourse.server.events.BatchEvents;
import dev.bourse.server.events.EngineEvent;
import dev.bourse.server.http.Json;
import dev.bourse.server.marketdata.MarketData;
import dev.bourse.server.shard.FillRecord;
import dev.bourse.server.shard.OrderRecord;
import dev.bourse.server.trading.OrderJson;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Private channels: {@code orders} from committed {@link EngineEvent.OrderEvent}s (with the fills of the same
 * command) and {@code account} from the balance rows a batch changed. The bus subscriber only checks whether
 * anyone logged in cares and hands the batch to one ordering thread; balance queries run on virtual threads,
 * coalesced per user (one query in flight per user; changes meanwhile are merged into the next one).
 */
final class PrivateFeed implements Consumer<BatchEvents> {
    private static final Logger LOG = Logger.getLogger(PrivateFeed.class.getName());

    private final MarketData marketData;
    private final AccountBalances balances;
    private final Map<Long, Set<Connection>> byUser = new ConcurrentHashMap<>();
    private final ExecutorService orderThread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "ws-private-feed");
        t.setDaemon(true);
        return t;
    });
    private final ExecutorService queries = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<Long, PendingAccount> accounts = new ConcurrentHashMap<>();

    private static final class PendingAccount {
        final Set<Integer> assets = new HashSet<>();
        boolean running;
    }

    PrivateFeed(MarketData marketData, AccountBalances balances) {
        this.marketData = marketData;
        this.balances = balances;
    }

    void loggedIn(Connection c, long userId) {
        byUser.computeIfAbsent(userId, k -> ConcurrentHashMap.newKeySet()).add(c);
    }

    void removeAll(Connection c) {
        if (c.principal != null) {
            Set<Connection> s = byUser.get(c.principal.userId());
            if (s != null) {
                s.remove(c);
            }
        }
        c.privateSubs.clear();
    }

    @Override
    public void accept(BatchEvents batch) {
        if (byUser.isEmpty()) {
            return;
        }
        long received = System.nanoTime();
        for (EngineEvent e : batch.events()) {
            long user = switch (e) {
                case EngineEvent.OrderEvent o -> o.order().userId();
                case EngineEvent.BalanceEvent b -> b.accountId();
                default -> -1;
            };
            if (user >= 0 && byUser.containsKey(user)) {
                orderThread.execute(() -> process(batch, received));
                return;
            }
        }
    }

    void close() {
        orderThread.shutdownNow();
        queries.shutdownNow();
    }

    private void process(BatchEvents batch, long received) {
        try {
            Map<String, List<FillRecord>> fills = new HashMap<>(); // "seq:ordId" -> fills of that order in that command
            Map<String, Integer> lastEvent = new HashMap<>();
            List<EngineEvent> events = batch.events();
            for (int i = 0; i < events.size(); i++) {
                EngineEvent e = events.get(i);
                if (e instanceof EngineEvent.TradeEvent t) {
                    FillRecord f = t.fill();
                    fills.computeIfAbsent(f.seq() + ":" + f.takerOrdId(), k -> new ArrayList<>()).add(f);
                    fills.computeIfAbsent(f.seq() + ":" + f.makerOrdId(), k -> new ArrayList<>()).add(f);
                } else if (e instanceof EngineEvent.OrderEvent o) {
                    lastEvent.put(o.seq() + ":" + o.order().ordId(), i);
                }
            }
            Map<Long, List<PushedOrder>> orders = new LinkedHashMap<>();
            Map<Long, Set<Integer>> changedAssets = new HashMap<>();
            for (int i = 0; i < events.size(); i++) {
                EngineEvent e = events.get(i);
                if (e instanceof EngineEvent.OrderEvent o && byUser.containsKey(o.order().userId())) {
                    String key = o.seq() + ":" + o.order().ordId();
                    List<FillRecord> own = lastEvent.get(key) == i ? fills.getOrDefault(key, List.of()) : List.of();
                    PushedOrder n = order(o.order(), own);
                    if (n != null) {
                        orders.computeIfAbsent(o.order().userId(), k -> new ArrayList<>()).add(n);
                    }
                } else if (e instanceof EngineEvent.BalanceEvent b && byUser.containsKey(b.accountId())) {
                    changedAssets.computeIfAbsent(b.accountId(), k -> new HashSet<>()).add(b.assetId());
                }
            }
            for (Map.Entry<Long, List<PushedOrder>> e : orders.entrySet()) {
                pushOrders(e.getKey(), e.getValue(), received);
            }
            for (Map.Entry<Long, Set<Integer>> e : changedAssets.entrySet()) {
                accountChanged(e.getKey(), e.getValue());
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "private feed failed on batch " + batch.firstSeq() + ".." + batch.lastSeq(), e);
        }
    }

    private void pushOrders(long userId, List<PushedOrder> orders, long received) {
        Set<Connection> conns = byUser.get(userId);
        if (conns == null) {
            return;
        }
        for (Connection c : conns) {
            for (Connection.PrivateSub sub : c.privateSubs) {
                if (!sub.channel().equals("orders")) {
                    continue;
                }
                StringBuilder frame = null;
                for (PushedOrder o : orders) {
                    if (sub.instId() != null && !sub.instId().equals(o.instId())) {
                        continue;
                    }
                    if (frame == null) {
                        frame = new StringBuilder(256 + orders.size() * 1400).append("{\"arg\":")
                                .append(ordersArg(sub, userId)).append(",\"data\":[");
                    } else {
                        frame.append(',');
                    }
                    frame.append(o.json());
                }
                if (frame != null) {
                    c.push(frame.append("]}").toString(), received);
                }
            }
        }
    }

    /** The {@code arg} of an {@code orders} push: the subscription as OKX echoes it, plus the user id. */
    private static String ordersArg(Connection.PrivateSub sub, long userId) {
        ObjectNode arg = Json.MAPPER.createObjectNode();
        arg.put("channel", "orders");
        arg.put("instType", sub.instType());
        if (sub.instId() != null) {
            arg.put("instId", sub.instId());
        }
        arg.put("uid", Long.toString(userId));
        return PublicFeed.write(arg);
    }

    /** One order event of the {@code orders} channel, formatted once for every connection that gets it. */
    record PushedOrder(String instId, String json) {
    }

    /** The OKX order object of the {@code orders} channel; {@code fills} are this order's fills in this command. */
    PushedOrder order(OrderRecord r, List<FillRecord> fills) {
        Instrument ins = marketData.instrument(r.instId()).orElse(null);
        if (ins == null) {
            return null;
        }
        return new PushedOrder(r.instId(), OrderJson.text(r, ins, fills, OrderJson.View.PUSH));
    }

    // ------------------------------------------------------------------------------------ account

    private void accountChanged(long userId, Set<Integer> assets) {
        PendingAccount p = accounts.computeIfAbsent(userId, k -> new PendingAccount());
        synchronized (p) {
            p.assets.addAll(assets);
            if (p.running) {
                return;
            }
            p.running = true;
        }
        queries.execute(() -> drainAccount(userId, p));
    }

    private void drainAccount(long userId, PendingAccount p) {
        while (true) {
            Set<Integer> assets;
            synchronized (p) {
                if (p.assets.isEmpty()) {
                    p.running = false;
                    return;
                }
                assets = new HashSet<>(p.assets);
                p.assets.clear();
            }
            long received = System.nanoTime();
            try {
                List<AccountBalances.Balance> rows = balances.of(userId);
                rows.removeIf(b -> !assets.contains(b.assetId()));
                pushAccount(userId, rows, received);
            } catch (Exception e) {
                LOG.log(Level.WARNING, "account push for user " + userId + " failed: " + e.getMessage(), e);
            }
        }
    }

    /** The current non-zero balances of the connection's user, as the first {@code account} push. */
    void accountSnapshot(Connection c, Connection.PrivateSub sub) {
        long userId = c.principal.userId();
        queries.execute(() -> {
            try {
                List<AccountBalances.Balance> rows = new ArrayList<>(balances.of(userId));
                rows.removeIf(b -> b.available() == 0 && b.held() == 0);
                c.push(account(userId, rows, "snapshot", sub), System.nanoTime());
            } catch (Exception e) {
                LOG.log(Level.WARNING, "account snapshot for user " + userId + " failed: " + e.getMessage(), e);
            }
        });
    }

    private void pushAccount(long userId, List<AccountBalances.Balance> rows, long received) {
        Set<Connection> conns = byUser.get(userId);
        if (conns == null) {
            return;
        }
        for (Connection c : conns) {
            for (Connection.PrivateSub sub : c.privateSubs) {
                if (sub.channel().equals("account")) {
                    String json = account(userId, rows, "event", sub);
                    if (json != null) {
                        c.push(json, received);
                    }
                }
            }
        }
    }

    private static String account(long userId, List<AccountBalances.Balance> rows, String type, Connection.PrivateSub sub) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ObjectNode arg = root.putObject("arg");
        arg.put("channel", "account");
        if (sub.ccy() != null) {
            arg.put("ccy", sub.ccy());
        }
        arg.put("uid", Long.toString(userId));
        root.put("eventType", type);
        root.put("curPage", 1);
        root.put("lastPage", true);
        ObjectNode acct = root.putArray("data").addObject();
        String now = Long.toString(System.currentTimeMillis());
        acct.put("uTime", now);
        for (String f : new String[] {"totalEq", "isoEq", "adjEq", "availEq", "ordFroz", "imr", "mmr", "borrowFroz",
                "mgnRatio", "notionalUsd", "upl"}) {
            acct.put(f, ""); // USD valuation and margin fields: Bourse is cash-only and has no USD prices
        }
        ArrayNode details = acct.putArray("details");
        for (AccountBalances.Balance b : rows) {
            if (sub.ccy() != null && !sub.ccy().equals(b.ccy())) {
                continue;
            }
            ObjectNode d = details.addObject();
            String avail = Decimals.format(b.available(), b.scale());
            String held = Decimals.format(b.held(), b.scale());
            String total = Decimals.format(Math.addExact(b.available(), b.held()), b.scale());
            d.put("ccy", b.ccy());
            d.put("cashBal", total);
            d.put("eq", total);
            d.put("availBal", avail);
            d.put("availEq", avail);
            d.put("frozenBal", held);
            d.put("ordFrozen", held);
            d.put("uTime", now);
            d.put("eqUsd", "");
            d.put("upl", "0");
            d.put("liab", "0");
            d.put("interest", "0");
        }
        if (details.isEmpty() && "event".equals(type)) {
            return null;
        }
        return PublicFeed.write(root);
    }
}
