package dev.bourse.server.support;

import dev.bourse.server.store.Database;
import dev.bourse.testkit.EngineProcess;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;

/**
 * An exchange for integration tests that run real engine processes: a fresh PostgreSQL database with the
 * instruments listed ({@link TraderFixture#list} unless told otherwise) and funded users, one engine per shard
 * ({@link TraderFixture#engine}: fixed secrets, no demo data), optionally on the local Redis under a key prefix
 * of its own, and API keys for the users. With more than one shard each engine gets a fixed port and
 * {@code SHARD_PEERS} naming all of them, so the pods forward to each other and survive a restart on the same
 * address. {@link #close()} kills the engines, deletes the Redis keys and drops the database.
 *
 * <pre>{@code
 * exchange = TestExchange.builder("tag")                     // users tag-alice..., engines tag-e0, tag-e1
 *         .redis()
 *         .env("RATE_LIMITS", LIMITS)
 *         .traders(Map.of("BTC", "10", "USDT", "1000000"), "alice", "bob")
 *         .start();
 * }</pre>
 */
public final class TestExchange implements AutoCloseable {
    /** Lists assets and instruments in a fresh, migrated database. */
    @FunctionalInterface
    public interface Listing {
        void list(Database db) throws Exception;
    }

    private final String name;
    private final TestDatabases.TestDb database;
    private final String redisPrefix;
    private final Map<Integer, EngineProcess.Spec> specs = new LinkedHashMap<>();
    private final Map<Integer, EngineProcess> engines = new LinkedHashMap<>();
    private final Map<String, Long> userIds = new LinkedHashMap<>();
    private final Map<String, OkxRestClient.Credentials> keys = new LinkedHashMap<>();

    private TestExchange(String name, TestDatabases.TestDb database, String redisPrefix) {
        this.name = name;
        this.database = database;
        this.redisPrefix = redisPrefix;
    }

    /**
     * An exchange whose users are created as {@code name-user} and whose engines are named {@code name-e<shard>}:
     * by default shards 0 and 1 (BTC-USDT and ETH-USDT), no Redis, no users, no API keys.
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    public static final class Builder {
        private final String name;
        private Listing listing = TraderFixture::list;
        private final Map<String, Map<String, String>> funds = new LinkedHashMap<>();
        private final Map<String, String> keyPerms = new LinkedHashMap<>();
        private int[] shards = {0, 1};
        private boolean redis;
        private final Map<String, String> env = new LinkedHashMap<>();

        private Builder(String name) {
            this.name = name;
        }

        /** What the exchange trades, instead of {@link TraderFixture#list}. */
        public Builder listing(Listing listing) {
            this.listing = listing;
            return this;
        }

        /** Users funded through ledger deposits (asset code → decimal string), without API keys. */
        public Builder users(Map<String, String> userFunds, String... users) {
            for (String u : users) {
                funds.put(u, Map.copyOf(userFunds));
            }
            return this;
        }

        /** Funded users with an API key each that reads and trades ({@link TestExchange#key}). */
        public Builder traders(Map<String, String> userFunds, String... users) {
            users(userFunds, users);
            for (String u : users) {
                keyPerms.put(u, "read_only,trade");
            }
            return this;
        }

        /** One engine per shard, started at once; API keys are created through the first. */
        public Builder shards(int... shardIds) {
            if (shardIds.length == 0) {
                throw new IllegalArgumentException("an exchange needs at least one shard");
            }
            this.shards = shardIds.clone();
            return this;
        }

        /** The engines publish and read market data and private events through the local Redis. */
        public Builder redis() {
            this.redis = true;
            return this;
        }

        /** One more environment variable for every engine. */
        public Builder env(String var, String value) {
            env.put(var, value);
            return this;
        }

        /** Creates and lists the database, funds the users, starts the engines; on failure cleans up and throws. */
        public TestExchange start() throws Exception {
            String prefix = redis ? TestRedis.prefix(name) : null;
            TestExchange exchange = new TestExchange(name, TestDatabases.postgres(), prefix);
            try {
                exchange.prepare(this);
                return exchange;
            } catch (Throwable t) {
                try {
                    exchange.close();
                } catch (Exception e) {
                    t.addSuppressed(e);
                }
                throw t;
            }
        }
    }

    private void prepare(Builder b) throws Exception {
        try (Database db = database.open()) {
            b.listing.list(db);
            for (Map.Entry<String, Map<String, String>> u : b.funds.entrySet()) {
                userIds.put(u.getKey(), TraderFixture.user(db, name + "-" + u.getKey(), u.getValue()));
            }
        }
        // more than one pod: fixed ports, so that every pod can name its peers and a restarted pod keeps its address
        boolean peered = b.shards.length > 1;
        Map<Integer, Integer> ports = new LinkedHashMap<>();
        if (peered) {
            for (int shard : b.shards) {
                ports.put(shard, EngineProcess.freePort());
            }
        }
        String peers = ports.entrySet().stream().map(p -> p.getKey() + "=http://127.0.0.1:" + p.getValue())
                .collect(Collectors.joining(","));
        for (int shard : b.shards) {
            EngineProcess.Spec spec = TraderFixture.engine(name + "-e" + shard, database, shard);
            if (peered) {
                spec = spec.with("PORT", Integer.toString(ports.get(shard))).with("SHARD_PEERS", peers);
            }
            if (redisPrefix != null) {
                spec = spec.with("REDIS_ADDR", TestRedis.ADDR).with("REDIS_KEY_PREFIX", redisPrefix);
            }
            for (Map.Entry<String, String> e : b.env.entrySet()) {
                spec = spec.with(e.getKey(), e.getValue());
            }
            specs.put(shard, spec);
        }
        startAll();
        for (Map.Entry<String, String> k : b.keyPerms.entrySet()) {
            keys.put(k.getKey(), TraderFixture.apiKey(engine(b.shards[0]), userId(k.getKey()), k.getValue()));
        }
    }

    /** All engines at once: each becomes ready on its own (a peer is only needed for forwarding and foreign books). */
    private void startAll() throws Exception {
        Map<Integer, CompletableFuture<EngineProcess>> starting = new LinkedHashMap<>();
        specs.forEach((shard, spec) -> starting.put(shard, CompletableFuture.supplyAsync(() -> {
            try {
                return EngineProcess.start(spec);
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        })));
        Throwable failure = null;
        // every one joined, so that close() kills those that did start when another did not
        for (Map.Entry<Integer, CompletableFuture<EngineProcess>> s : starting.entrySet()) {
            try {
                engines.put(s.getKey(), s.getValue().join());
            } catch (CompletionException e) {
                if (failure == null) {
                    failure = e.getCause();
                } else {
                    failure.addSuppressed(e.getCause());
                }
            }
        }
        if (failure instanceof Exception e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
    }

    /** The running engine of {@code shard} (the last one started for it). */
    public EngineProcess engine(int shard) {
        return known(engines, shard, "engine for shard");
    }

    /**
     * Starts the engine of {@code shard} again from its spec (same port, same peers) once the test has stopped or
     * killed it, and returns it; {@link #close()} kills this one then. Refused while the old one still runs: two
     * engines would compete for the shard's lease.
     */
    public EngineProcess start(int shard) throws Exception {
        EngineProcess old = engine(shard);
        if (old.isAlive()) {
            throw new IllegalStateException(old + " still runs: stop() or kill9() it first");
        }
        old.close();
        EngineProcess e = EngineProcess.start(known(specs, shard, "engine for shard"));
        engines.put(shard, e);
        return e;
    }

    public TestDatabases.TestDb database() {
        return database;
    }

    /** The engines' {@code REDIS_KEY_PREFIX}, or null without {@link Builder#redis()}. */
    public String redisPrefix() {
        return redisPrefix;
    }

    public long userId(String user) {
        return known(userIds, user, "user");
    }

    /** The API key of a user from {@link Builder#traders}. */
    public OkxRestClient.Credentials key(String user) {
        return known(keys, user, "API key for");
    }

    /** A test asking for what it did not set up fails with what there is. */
    private static <K, V> V known(Map<K, V> map, K key, String what) {
        V v = map.get(key);
        if (v == null) {
            throw new IllegalArgumentException("no " + what + " " + key + "; there are " + map.keySet());
        }
        return v;
    }

    /** A signed REST client of {@code user} on the engine of {@code shard}. */
    public OkxRestClient client(int shard, String user) {
        return TraderFixture.client(engine(shard), key(user));
    }

    /** Kills every engine, then deletes the Redis keys and drops the database, each even if the one before failed. */
    @Override
    public void close() throws Exception {
        engines.values().forEach(EngineProcess::close);
        try {
            if (redisPrefix != null) {
                System.out.println(name + ": deleted " + TestRedis.deleteKeys(redisPrefix) + " Redis keys under "
                        + redisPrefix);
            }
        } finally {
            database.close();
        }
    }
}
