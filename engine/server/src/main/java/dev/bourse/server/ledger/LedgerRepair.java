package dev.bourse.server.ledger;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bourse.fixed.Decimals;
import dev.bourse.server.admin.AuditLog;
import dev.bourse.server.admin.AuditRecord;
import dev.bourse.server.http.Json;
import dev.bourse.server.store.Database;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.logging.Logger;

/**
 * Ledger repair by appending (runbook §5): a wrong posting set is never edited; it is corrected by a new
 * set whose {@code ref_key} names it.
 * <ul>
 *   <li><b>Reversal</b> (a double posting): a set of kind {@value #REVERSAL} whose legs negate the
 *   referenced set as it stands, i.e. with the supplements that completed it. Its posting key is derived
 *   from the referenced key, so a set can be reversed once only.</li>
 *   <li><b>Supplement</b> (a missing posting): a set of kind {@value #SUPPLEMENT} carrying the missing
 *   legs of an unbalanced set; together they must sum to zero per asset. Its posting key is derived
 *   from the caller's idempotency key.</li>
 * </ul>
 * The reconciler checks a repaired set together with its repairs ({@code LedgerChecks}). Repairs chain
 * at most one level: a repair can itself be reversed ({@code allowRepair}) only when it corrects an
 * original set, and supplements only complete originals. Every repair of one original set locks that
 * set's rows first, so two repairs of the same set run one after the other.
 *
 * <p>Each repair is one transaction: the journal rows, the balance updates (refused, and everything rolled
 * back, if a balance other than the external account's would go below zero) and the audit row with the
 * touched balances before and after.
 */
public final class LedgerRepair {
    private static final Logger LOG = Logger.getLogger(LedgerRepair.class.getName());
    public static final String REVERSAL = "REVERSAL";
    public static final String SUPPLEMENT = "SUPPLEMENT";
    public static final String ACTION_REVERSAL = "ledger.reversal";
    public static final String ACTION_SUPPLEMENT = "ledger.supplement";
    public static final int MAX_LEGS = 100;
    public static final int MAX_REASON = 500;
    /** {@code ledger_entries.posting_key} is VARCHAR(64). */
    public static final int MAX_KEY = 64;
    private static final String REVERSAL_PREFIX = "rev:";
    private static final String SUPPLEMENT_PREFIX = "sup:";
    /** Longest idempotency key of a supplement: its posting key must still fit. */
    public static final int MAX_IDEMPOTENCY_KEY = MAX_KEY - SUPPLEMENT_PREFIX.length();
    private static final String COLUMNS = "posting_key, leg, kind, account_id, asset_id, bucket, amount, ord_id, "
            + "trade_id, ref_key";

    private final Database db;
    private final AuditLog audit;

    public LedgerRepair(Database db, AuditLog audit) {
        this.db = Objects.requireNonNull(db, "db");
        this.audit = Objects.requireNonNull(audit, "audit");
    }

    /** A leg the operator asks a supplement to add; amount in units of 10^-scale of the asset. */
    public record Leg(long accountId, int assetId, String bucket, long amount) {
    }

    /** One stored posting set, legs in leg order. */
    public record PostingSet(String postingKey, String kind, String refKey, List<LedgerEntry> legs) {
    }

    /** A repair's set, and whether it was already there (the request repeated an earlier one). */
    public record Repair(PostingSet set, boolean replayed) {
    }

    /** Who asks, and the request id written to the audit row. */
    public record Caller(String actor, String requestId) {
    }

    /** A repair refused with an OKX-style code; nothing was written. */
    public static final class Refused extends Exception {
        private final String code;

        public Refused(String code, String message) {
            super(message, null, false, false);
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    /** The posting key of the reversal of {@code refId}: one per set, so a set cannot be reversed twice. */
    public static String reversalKey(String refId) {
        String key = REVERSAL_PREFIX + refId;
        if (key.length() <= MAX_KEY) {
            return key;
        }
        // too long to prefix: a digest keeps the key unique and deterministic
        return REVERSAL_PREFIX + "#" + HexFormat.of().formatHex(sha256(refId)).substring(0, MAX_KEY - 5);
    }

    /** The posting key of a supplement requested under {@code idempotencyKey}. */
    public static String supplementKey(String idempotencyKey) {
        return SUPPLEMENT_PREFIX + idempotencyKey;
    }

    /**
     * Appends the reversal of the set {@code refId}. A repeated request with the idempotency key of the
     * reversal already made answers that reversal; any other request for a reversed set is refused.
     *
     * @param allowRepair whether {@code refId} may itself be a repair (undoing a reversal or a supplement)
     */
    public Repair reverse(String refId, String reason, String idempotencyKey, boolean allowRepair, Caller caller)
            throws Refused, SQLException {
        requireKey("refId", refId);
        requireReason(reason);
        if (idempotencyKey != null && idempotencyKey.length() > MAX_KEY) {
            throw new Refused("51000", "Parameter idempotencyKey error: at most " + MAX_KEY + " characters");
        }
        String key = reversalKey(refId);
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try {
                Repair r = reverse(c, refId, key, reason, idempotencyKey, allowRepair, caller);
                c.commit();
                if (!r.replayed()) {
                    LOG.warning(() -> "[" + caller.requestId() + "] ledger repair: " + caller.actor() + " reversed "
                            + refId + " with " + key + " (" + r.set().legs().size() + " legs): " + reason);
                }
                return r;
            } catch (Refused | SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private Repair reverse(Connection c, String refId, String key, String reason, String idempotencyKey,
                           boolean allowRepair, Caller caller) throws Refused, SQLException {
        Optional<PostingSet> head = readSet(c, refId, false);
        if (head.isEmpty()) {
            throw new Refused("51000", "Posting set " + refId + " does not exist");
        }
        String kind = head.get().kind();
        String root = refId;
        if (isRepair(kind)) {
            if (!allowRepair) {
                throw new Refused("51000", "Posting set " + refId + " is a " + kind
                        + "; reversing a repair needs \"allowRepair\": true");
            }
            root = head.get().refKey();
            Optional<PostingSet> original = root == null ? Optional.empty() : readSet(c, root, false);
            if (original.isEmpty() || isRepair(original.get().kind())) {
                throw new Refused("51000", "Posting set " + refId + " repairs " + root
                        + ", which is not an original posting set; only one level of repair is supported");
            }
        }
        // every repair of one original locks its rows first: repairs of one set are serialized
        lockSet(c, root);
        PostingSet target = lockSet(c, refId).orElseThrow(() -> new Refused("51000", "Posting set " + refId
                + " does not exist"));

        Optional<PostingSet> already = readSet(c, key, false);
        if (already.isPresent()) {
            String earlierKey = earlierIdempotencyKey(c, ACTION_REVERSAL, refId);
            if (idempotencyKey != null && idempotencyKey.equals(earlierKey)) {
                return new Repair(already.get(), true);
            }
            throw new Refused("51000", "Posting set " + refId + " was already reversed by posting set " + key);
        }
        if (SUPPLEMENT.equals(kind) && readSet(c, reversalKey(root), false).isPresent()) {
            throw new Refused("51000", "Posting set " + refId + " supplements " + root
                    + ", which was reversed together with its supplements");
        }

        // what is undone: the set, and for an original also the supplements (and their reversals) completing it
        List<LedgerEntry> undone = new ArrayList<>(target.legs());
        if (!isRepair(kind)) {
            undone.addAll(repairsOf(c, refId));
        }
        List<LedgerEntry> legs = new ArrayList<>();
        for (LedgerEntry e : undone) {
            legs.add(new LedgerEntry(key, legs.size(), REVERSAL, e.accountId(), e.assetId(), e.bucket(),
                    Math.negateExact(e.amount()), e.ordId(), e.tradeId(), refId));
        }
        PostingSet set = new PostingSet(key, REVERSAL, refId, legs);
        append(c, set, ACTION_REVERSAL, refId, reason, idempotencyKey, caller);
        return new Repair(set, false);
    }

    /**
     * Appends the missing legs of the unbalanced set {@code refId}, which they must balance per asset.
     * Repeating the request with the same idempotency key and legs answers the stored supplement.
     */
    public Repair supplement(String refId, String reason, String idempotencyKey, List<Leg> legs, Caller caller)
            throws Refused, SQLException {
        requireKey("refId", refId);
        requireReason(reason);
        if (idempotencyKey == null || idempotencyKey.isBlank()) {
            throw new Refused("50014", "Parameter idempotencyKey can not be empty.");
        }
        if (idempotencyKey.length() > MAX_IDEMPOTENCY_KEY) {
            throw new Refused("51000", "Parameter idempotencyKey error: at most " + MAX_IDEMPOTENCY_KEY + " characters");
        }
        if (legs == null || legs.isEmpty()) {
            throw new Refused("50014", "Parameter entries can not be empty.");
        }
        if (legs.size() > MAX_LEGS) {
            throw new Refused("51000", "Parameter entries error: at most " + MAX_LEGS + " entries");
        }
        for (Leg l : legs) {
            if (l.amount() == 0) {
                throw new Refused("51000", "Parameter amount error: a leg of zero");
            }
            if (!"available".equals(l.bucket()) && !"held".equals(l.bucket())) {
                throw new Refused("51000", "Parameter bucket error: available or held");
            }
        }
        String key = supplementKey(idempotencyKey);
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try {
                Repair r = supplement(c, refId, key, reason, idempotencyKey, legs, caller);
                c.commit();
                if (!r.replayed()) {
                    LOG.warning(() -> "[" + caller.requestId() + "] ledger repair: " + caller.actor() + " supplemented "
                            + refId + " with " + key + " (" + legs.size() + " legs): " + reason);
                }
                return r;
            } catch (Refused | SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private Repair supplement(Connection c, String refId, String key, String reason, String idempotencyKey,
                              List<Leg> requested, Caller caller) throws Refused, SQLException {
        PostingSet target = lockSet(c, refId).orElseThrow(() -> new Refused("51000", "Posting set " + refId
                + " does not exist"));
        List<LedgerEntry> legs = new ArrayList<>();
        for (Leg l : requested) {
            legs.add(new LedgerEntry(key, legs.size(), SUPPLEMENT, l.accountId(), l.assetId(), l.bucket(), l.amount(),
                    null, null, refId));
        }
        Optional<PostingSet> already = readSet(c, key, false);
        if (already.isPresent()) {
            PostingSet a = already.get();
            if (SUPPLEMENT.equals(a.kind()) && refId.equals(a.refKey()) && a.legs().equals(legs)) {
                return new Repair(a, true);
            }
            throw new Refused("51000", "idempotencyKey " + idempotencyKey + " was already used by posting set " + key
                    + " with other content");
        }
        if (isRepair(target.kind())) {
            throw new Refused("51000", "Posting set " + refId + " is a " + target.kind()
                    + "; a supplement completes an original posting set");
        }
        if (readSet(c, reversalKey(refId), false).isPresent()) {
            throw new Refused("51000", "Posting set " + refId + " was reversed; a reversed set is not supplemented");
        }
        Map<Integer, Asset> assets = assets(c);
        for (Leg l : requested) {
            if (!assets.containsKey(l.assetId())) {
                throw new Refused("51000", "Parameter ccy error: no asset " + l.assetId());
            }
            if (!hasBalanceRow(c, l.accountId(), l.assetId())) {
                throw new Refused("51000", "Parameter accountId error: account " + l.accountId()
                        + " does not exist");
            }
        }
        // the set as it stands (with earlier supplements and their reversals), then with these legs
        Map<Integer, Long> before = new TreeMap<>();
        List<LedgerEntry> group = new ArrayList<>(target.legs());
        group.addAll(repairsOf(c, refId));
        for (LedgerEntry e : group) {
            before.merge(e.assetId(), e.amount(), Math::addExact);
        }
        if (before.values().stream().allMatch(v -> v == 0)) {
            throw new Refused("51000", "Posting set " + refId + " is balanced: a supplement only completes a set "
                    + "the reconciler reports as unbalanced");
        }
        Map<Integer, Long> after = new TreeMap<>(before);
        for (LedgerEntry e : legs) {
            after.merge(e.assetId(), e.amount(), Math::addExact);
        }
        for (Map.Entry<Integer, Long> s : after.entrySet()) {
            if (s.getValue() != 0) {
                Asset a = assets.get(s.getKey());
                throw new Refused("51000", "The supplement does not balance posting set " + refId + ": " + a.code()
                        + " would sum to " + Decimals.format(s.getValue(), a.scale()) + " instead of 0");
            }
        }
        PostingSet set = new PostingSet(key, SUPPLEMENT, refId, legs);
        append(c, set, ACTION_SUPPLEMENT, refId, reason, idempotencyKey, caller);
        return new Repair(set, false);
    }

    /** Writes the set, applies it to the balances and writes the audit row, all on {@code c}. */
    private void append(Connection c, PostingSet set, String action, String refId, String reason, String idempotencyKey,
                        Caller caller) throws Refused, SQLException {
        BalanceDeltas deltas = new BalanceDeltas();
        set.legs().forEach(deltas::add);
        Map<Integer, Asset> assets = assets(c);
        ArrayNode before = balances(c, deltas, assets, true);
        LedgerWriter.insert(c, set.legs());
        List<BalanceDeltas.Key> refused = BalanceWriter.apply(c, deltas);
        if (!refused.isEmpty()) {
            BalanceDeltas.Key k = refused.getFirst();
            Asset a = assets.get(k.assetId());
            throw new Refused("51008", "Refused: the " + (REVERSAL.equals(set.kind()) ? "reversal" : "supplement")
                    + " would take the " + (a == null ? "asset " + k.assetId() : a.code()) + " balance of account "
                    + k.accountId() + " below zero");
        }
        // reason and balances first: the audit column keeps 4000 characters, and a huge set loses legs, not them
        ObjectNode after = Json.MAPPER.createObjectNode();
        after.put("reason", reason);
        if (idempotencyKey == null) {
            after.putNull("idempotencyKey");
        } else {
            after.put("idempotencyKey", idempotencyKey);
        }
        after.set("balances", balances(c, deltas, assets, false));
        after.set("postingSet", view(set, assets));
        ObjectNode beforeNode = Json.MAPPER.createObjectNode();
        beforeNode.set("balances", before);
        audit.append(c, new AuditRecord(caller.actor(), action, refId, beforeNode.toString(), after.toString(),
                caller.requestId()));
    }

    /** The set stored under {@code key}, or empty. */
    public Optional<PostingSet> postingSet(String key) throws SQLException {
        try (Connection c = db.connection()) {
            return readSet(c, key, false);
        }
    }

    /** The sets whose {@code ref_key} is {@code key} (its supplements and its reversal), oldest first. */
    public List<PostingSet> repairs(String key) throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM ledger_entries WHERE ref_key = ? "
                     + "AND kind IN ('" + REVERSAL + "', '" + SUPPLEMENT + "') ORDER BY created_at, posting_key, leg")) {
            ps.setString(1, key);
            return sets(ps);
        }
    }

    /** The newest {@code limit} sets with a leg on (account, asset), newest first. */
    public List<PostingSet> postingSets(long accountId, int assetId, int limit) throws SQLException {
        List<String> keys = new ArrayList<>();
        try (Connection c = db.connection()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT posting_key, MAX(created_at) FROM ledger_entries "
                    + "WHERE account_id = ? AND asset_id = ? GROUP BY posting_key "
                    + "ORDER BY MAX(created_at) DESC, posting_key DESC LIMIT ?")) {
                ps.setLong(1, accountId);
                ps.setInt(2, assetId);
                ps.setInt(3, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        keys.add(rs.getString(1));
                    }
                }
            }
            List<PostingSet> out = new ArrayList<>();
            for (String k : keys) {
                readSet(c, k, false).ifPresent(out::add);
            }
            return out;
        }
    }

    /** A set as the admin API and the audit rows show it: amounts as exact decimals of the asset's scale. */
    public static ObjectNode view(PostingSet set, Map<Integer, Asset> assets) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("postingKey", set.postingKey());
        n.put("kind", set.kind());
        n.put("refKey", set.refKey() == null ? "" : set.refKey());
        ArrayNode legs = n.putArray("legs");
        for (LedgerEntry e : set.legs()) {
            Asset a = assets.get(e.assetId());
            ObjectNode l = legs.addObject();
            l.put("leg", e.leg());
            l.put("accountId", Long.toString(e.accountId()));
            l.put("ccy", a == null ? Integer.toString(e.assetId()) : a.code());
            l.put("bucket", e.bucket());
            l.put("amount", a == null ? Long.toString(e.amount()) : Decimals.format(e.amount(), a.scale()));
            l.put("ordId", e.ordId() == null ? "" : Long.toString(e.ordId()));
            l.put("tradeId", e.tradeId() == null ? "" : Long.toString(e.tradeId()));
        }
        return n;
    }

    /** An asset's code and scale. */
    public record Asset(int id, String code, int scale) {
    }

    /** Every listed asset by id. */
    public Map<Integer, Asset> assets() throws SQLException {
        try (Connection c = db.connection()) {
            return assets(c);
        }
    }

    private static Map<Integer, Asset> assets(Connection c) throws SQLException {
        Map<Integer, Asset> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT asset_id, code, scale FROM assets ORDER BY asset_id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getInt(1), new Asset(rs.getInt(1), rs.getString(2), rs.getInt(3)));
            }
        }
        return out;
    }

    /** The touched balance rows (locked, in lock order, when read before the change). */
    private static ArrayNode balances(Connection c, BalanceDeltas deltas, Map<Integer, Asset> assets, boolean lock)
            throws SQLException {
        ArrayNode out = Json.MAPPER.createArrayNode();
        try (PreparedStatement ps = c.prepareStatement("SELECT available, held FROM balances WHERE account_id = ? "
                + "AND asset_id = ?" + (lock ? " FOR UPDATE" : ""))) {
            for (Map.Entry<BalanceDeltas.Key, long[]> e : deltas.inLockOrder()) {
                ps.setLong(1, e.getKey().accountId());
                ps.setInt(2, e.getKey().assetId());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        continue;
                    }
                    Asset a = assets.get(e.getKey().assetId());
                    int scale = a == null ? 0 : a.scale();
                    out.addObject()
                            .put("accountId", Long.toString(e.getKey().accountId()))
                            .put("ccy", a == null ? Integer.toString(e.getKey().assetId()) : a.code())
                            .put("available", Decimals.format(rs.getLong(1), scale))
                            .put("held", Decimals.format(rs.getLong(2), scale));
                }
            }
        }
        return out;
    }

    private static boolean isRepair(String kind) {
        return REVERSAL.equals(kind) || SUPPLEMENT.equals(kind);
    }

    /** Supplements of {@code key} and the reversals of those supplements, in key and leg order. */
    private static List<LedgerEntry> repairsOf(Connection c, String key) throws SQLException {
        // ref_key has no index (engine postings never set it): a scan, paid only by repairs, which are rare
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM ledger_entries WHERE "
                + "(kind = '" + SUPPLEMENT + "' AND ref_key = ?) OR (kind = '" + REVERSAL + "' AND ref_key IN "
                + "(SELECT posting_key FROM ledger_entries WHERE kind = '" + SUPPLEMENT + "' AND ref_key = ?)) "
                + "ORDER BY posting_key, leg")) {
            ps.setString(1, key);
            ps.setString(2, key);
            List<LedgerEntry> out = new ArrayList<>();
            for (PostingSet s : sets(ps)) {
                out.addAll(s.legs());
            }
            return out;
        }
    }

    private static Optional<PostingSet> lockSet(Connection c, String key) throws SQLException {
        return readSet(c, key, true);
    }

    private static Optional<PostingSet> readSet(Connection c, String key, boolean lock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM ledger_entries WHERE posting_key = ? "
                + "ORDER BY leg" + (lock ? " FOR UPDATE" : ""))) {
            ps.setString(1, key);
            List<PostingSet> sets = sets(ps);
            return sets.isEmpty() ? Optional.empty() : Optional.of(sets.getFirst());
        }
    }

    private static List<PostingSet> sets(PreparedStatement ps) throws SQLException {
        Map<String, List<LedgerEntry>> legs = new LinkedHashMap<>();
        Map<String, String[]> heads = new LinkedHashMap<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String key = rs.getString(1);
                long ord = rs.getLong(8);
                Long ordId = rs.wasNull() ? null : ord;
                long trade = rs.getLong(9);
                Long tradeId = rs.wasNull() ? null : trade;
                LedgerEntry e = new LedgerEntry(key, rs.getInt(2), rs.getString(3), rs.getLong(4), rs.getInt(5),
                        rs.getString(6), rs.getLong(7), ordId, tradeId, rs.getString(10));
                legs.computeIfAbsent(key, k -> new ArrayList<>()).add(e);
                heads.putIfAbsent(key, new String[] {e.kind(), e.refKey()});
            }
        }
        List<PostingSet> out = new ArrayList<>();
        legs.forEach((k, l) -> out.add(new PostingSet(k, heads.get(k)[0], heads.get(k)[1], List.copyOf(l))));
        return out;
    }

    private static boolean hasBalanceRow(Connection c, long accountId, int assetId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM balances WHERE account_id = ? AND asset_id = ?")) {
            ps.setLong(1, accountId);
            ps.setInt(2, assetId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** The idempotency key recorded by the latest audit row of {@code action} on {@code target}, or null. */
    private static String earlierIdempotencyKey(Connection c, String action, String target) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT after_state FROM audit_log WHERE action = ? AND target = ? "
                + "ORDER BY audit_id DESC LIMIT 1")) {
            ps.setString(1, action);
            ps.setString(2, target);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || rs.getString(1) == null) {
                    return null;
                }
                var n = Json.MAPPER.readTree(rs.getString(1)).get("idempotencyKey");
                return n == null || n.isNull() ? null : n.asText();
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                return null;
            }
        }
    }

    private static void requireKey(String name, String v) throws Refused {
        if (v == null || v.isBlank()) {
            throw new Refused("50014", "Parameter " + name + " can not be empty.");
        }
        if (v.length() > MAX_KEY) {
            throw new Refused("51000", "Parameter " + name + " error: at most " + MAX_KEY + " characters");
        }
    }

    private static void requireReason(String reason) throws Refused {
        if (reason == null || reason.isBlank()) {
            throw new Refused("50014", "Parameter reason can not be empty.");
        }
        if (reason.length() > MAX_REASON) {
            throw new Refused("51000", "Parameter reason error: at most " + MAX_REASON + " characters");
        }
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
