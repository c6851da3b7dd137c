package dev.bourse.server.routing;

import dev.bourse.server.config.EngineConfig;
import dev.bourse.server.store.Database;

import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Logger;

/**
 * Which shard owns an instrument ({@code instruments.shard_id}) and where the pod serving a shard
 * answers. The owner map is cached and read again on a miss, because the operator may list an
 * instrument while the engine runs; misses refresh at most every {@link #MISS_REFRESH_MILLIS} so that
 * requests for instruments that do not exist cannot hammer the database.
 *
 * <p>Peer URLs come from {@code SHARD_PEERS} ({@code 0=http://10.0.0.1:8080,...}) and, for shards it does
 * not name, {@code SHARD_URL_TEMPLATE} ({@code http://bourse-engine-{shard}.bourse-engine:8080}, the
 * StatefulSet's stable DNS names).
 */
public final class ShardDirectory {
    private static final Logger LOG = Logger.getLogger(ShardDirectory.class.getName());
    static final long MISS_REFRESH_MILLIS = 500;

    /** Reads the current owner of every instrument. */
    @FunctionalInterface
    public interface OwnerSource {
        Map<String, Integer> owners() throws SQLException;
    }

    private final int ownShardId;
    private final OwnerSource source;
    private final Map<Integer, URI> peers;
    private final String template;
    private volatile Map<String, Integer> owners = Map.of();
    private volatile long lastLoadNanos;
    private volatile boolean attempted; // a load was tried (successfully or not): misses are rate limited from then on

    /**
     * @param peers    explicit base URLs by shard (may be empty)
     * @param template base URL with {@code {shard}}, or null
     */
    public ShardDirectory(int ownShardId, OwnerSource source, Map<Integer, String> peers, String template) {
        this.ownShardId = ownShardId;
        this.source = source;
        Map<Integer, URI> p = new HashMap<>();
        peers.forEach((shard, url) -> p.put(shard, URI.create(stripSlash(url))));
        this.peers = Map.copyOf(p);
        this.template = template == null ? null : stripSlash(template);
    }

    /** The directory of this engine: owners from the {@code instruments} table, peers from the config. */
    public static ShardDirectory of(EngineConfig config, Database db) {
        return new ShardDirectory(config.shardId(), () -> owners(db), config.shardPeers(), config.shardUrlTemplate());
    }

    static Map<String, Integer> owners(Database db) throws SQLException {
        Map<String, Integer> out = new HashMap<>();
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT inst_id, shard_id FROM instruments");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getInt(2));
            }
        }
        return out;
    }

    public int ownShardId() {
        return ownShardId;
    }

    /** The shard owning {@code instId}, or empty if no such instrument is listed. */
    public OptionalInt shardOf(String instId) {
        if (instId == null) {
            return OptionalInt.empty();
        }
        Integer shard = owners.get(instId);
        if (shard == null && (!attempted || System.nanoTime() - lastLoadNanos >= MISS_REFRESH_MILLIS * 1_000_000L)) {
            refreshQuietly();
            shard = owners.get(instId);
        }
        return shard == null ? OptionalInt.empty() : OptionalInt.of(shard);
    }

    /** True when {@code instId} is listed and owned by this process's shard. */
    public boolean isLocal(String instId) {
        OptionalInt s = shardOf(instId);
        return s.isPresent() && s.getAsInt() == ownShardId;
    }

    /** Reads the owners again (for example after the operator moved a symbol). */
    public synchronized void refresh() throws SQLException {
        Map<String, Integer> fresh = Map.copyOf(source.owners());
        owners = fresh;
        lastLoadNanos = System.nanoTime();
        attempted = true;
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (SQLException | RuntimeException e) {
            lastLoadNanos = System.nanoTime(); // a database outage must not turn every miss into a query
            attempted = true;
            LOG.warning("cannot read instrument owners: " + e.getMessage());
        }
    }

    /**
     * Every shard that owns an instrument, plus this one; read again each call (the event bus asks
     * every few seconds to follow new shards' streams).
     */
    public Set<Integer> shardIds() {
        refreshQuietly();
        Set<Integer> out = new TreeSet<>(owners.values());
        out.add(ownShardId);
        return Collections.unmodifiableSet(out);
    }

    /** Base URL of the pod serving {@code shardId} ({@code SHARD_PEERS} first, then the template). */
    public Optional<URI> baseUrl(int shardId) {
        URI explicit = peers.get(shardId);
        if (explicit != null) {
            return Optional.of(explicit);
        }
        if (template != null) {
            return Optional.of(URI.create(template.replace("{shard}", Integer.toString(shardId))));
        }
        return Optional.empty();
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
