package dev.bourse.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bourse.asset.Asset;
import dev.bourse.server.auth.ApiKeyStore;
import dev.bourse.server.auth.PassphraseHasher;
import dev.bourse.server.auth.SecretBox;
import dev.bourse.server.ledger.BalanceDeltas;
import dev.bourse.server.ledger.BalanceWriter;
import dev.bourse.server.ledger.Ledger;
import dev.bourse.server.ledger.LedgerEntry;
import dev.bourse.server.ledger.LedgerRepair;
import dev.bourse.server.ledger.LedgerWriter;
import dev.bourse.server.ledger.SystemAccounts;
import dev.bourse.server.listing.Listing;
import dev.bourse.server.reconcile.Anomaly;
import dev.bourse.server.reconcile.Check;
import dev.bourse.server.reconcile.ReconciliationReport;
import dev.bourse.server.reconcile.Reconciler;
import dev.bourse.server.store.Database;
import dev.bourse.server.support.TestDatabases;
import io.helidon.webserver.WebServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Users, ledger repair and the audit log over HTTP, on PostgreSQL: each test gets a fresh database
 * with BTC and USDT listed, and a Helidon server routing the admin gate and the admin services.
 */
class LedgerRepairIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "admin-token-for-the-repair-test-0123456789";
    private static final long BTC_UNIT = 100_000_000L;

    private TestDatabases.TestDb testDb;
    private Database db;
    private WebServer server;
    private SimpleMeterRegistry meters;
    private final HttpClient http = HttpClient.newHttpClient();
    private Ledger ledger;
    private Asset btc;
    private Asset usdt;

    @BeforeEach
    void start() throws Exception {
        testDb = TestDatabases.postgres();
        db = testDb.open();
        meters = new SimpleMeterRegistry();
        ledger = new Ledger(db);
        ledger.ensureSystemAccounts(1);
        Listing listing = new Listing(db);
        btc = listing.addAsset("BTC", 8);
        usdt = listing.addAsset("USDT", 6);
        AuditLog audit = new AuditLog(meters);
        ApiKeyStore keys = new ApiKeyStore(db, SecretBox.fromAuthTokenSecret("repair-it-auth-token-secret-0123456789"),
                new PassphraseHasher(1_000), audit, Clock.systemUTC());
        AdminGate gate = new AdminGate(TOKEN, meters);
        server = WebServer.builder().host("127.0.0.1").port(0).shutdownHook(false)
                .routing(r -> r.register("/admin/v1", gate, new AdminApi(keys, meters), new UsersApi(db, audit, meters),
                        new LedgerRepairApi(new LedgerRepair(db, audit), meters), new AuditApi(db)))
                .build().start();
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
        db.close();
        testDb.close();
    }

    // ---- users

    @Test
    void createsUsersAndShowsTheirBalancesExactly() throws Exception {
        HttpResponse<String> r = call("POST", "/users", "{\"name\":\"alice\"}", "ops.carol");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode alice = data(r).get(0);
        long aliceId = alice.get("userId").asLong();
        assertTrue(SystemAccounts.isUser(aliceId));
        assertEquals("alice", alice.get("name").asText());
        assertEquals("USER", alice.get("kind").asText());
        assertEquals(2, alice.get("balances").size());
        assertEquals("0", alice.get("balances").get(0).get("available").asText());

        ledger.deposit("alice-1", aliceId, btc.id(), 150_000_001L); // 1.50000001 BTC
        ledger.deposit("alice-2", aliceId, usdt.id(), 2_500_000L); // 2.5 USDT
        for (String q : List.of("?userId=" + aliceId, "?name=alice")) {
            JsonNode got = data(call("GET", "/users" + q, null, null)).get(0);
            assertEquals(Long.toString(aliceId), got.get("userId").asText());
            JsonNode b = got.get("balances");
            assertEquals("BTC", b.get(0).get("ccy").asText());
            assertEquals("1.50000001", b.get(0).get("available").asText());
            assertEquals("0", b.get(0).get("held").asText());
            assertEquals("USDT", b.get(1).get("ccy").asText());
            assertEquals("2.5", b.get(1).get("available").asText());
        }

        JsonNode row = auditRows("user.create").get(0);
        assertEquals("ops.carol", row.get("actor").asText());
        assertEquals(Long.toString(aliceId), row.get("target").asText());
        assertEquals("", row.get("before").asText());
        assertEquals("alice", JSON.readTree(row.get("after").asText()).get("name").asText());
        assertEquals(r.headers().firstValue("x-request-id").orElseThrow(), row.get("requestId").asText());
        assertEquals(1.0, operations("user.create"));

        long accounts = count("SELECT COUNT(*) FROM accounts");
        assertRefused(call("POST", "/users", "{\"name\":\"alice\"}", null), "51000");
        assertRefused(call("POST", "/users", "{\"name\":\"external\"}", null), "51000"); // a system account's name
        assertRefused(call("POST", "/users", "{}", null), "50014");
        assertRefused(call("POST", "/users", "", null), "50000");
        assertRefused(call("POST", "/users", "{\"name\":\"bob smith\"}", null), "51000");
        assertRefused(call("POST", "/users", "{\"name\":\"" + "x".repeat(65) + "\"}", null), "51000");
        assertRefused(call("GET", "/users", null, null), "50014");
        assertRefused(call("GET", "/users?userId=abc", null, null), "51000");
        assertRefused(call("GET", "/users?userId=99999999", null, null), "51000");
        assertRefused(call("GET", "/users?name=nobody", null, null), "51000");
        assertRefused(call("GET", "/users?name=alice&userId=" + aliceId, null, null), "51000");
        assertEquals(accounts, count("SELECT COUNT(*) FROM accounts"));
        assertEquals(1, auditRows("user.create").size());
        assertClean();
    }

    // ---- (a) double posting

    @Test
    void aDoublePostedDepositIsReversedOnce() throws Exception {
        long alice = createUser("alice");
        // the same on-chain deposit credited twice under two keys: each set balances, so the journal
        // alone cannot see the duplicate; the operator finds it against the deposits
        assertTrue(ledger.deposit("chain-tx-77", alice, btc.id(), 2 * BTC_UNIT));
        assertTrue(ledger.deposit("chain-tx-77-retry", alice, btc.id(), 2 * BTC_UNIT));
        assertClean();
        assertEquals(4 * BTC_UNIT, ledger.balance(alice, btc.id())[0]);

        JsonNode found = data(call("GET", "/ledger/postings?accountId=" + alice + "&ccy=BTC&limit=10", null, null));
        Set<String> keys = new TreeSet<>();
        found.forEach(s -> keys.add(s.get("postingKey").asText()));
        assertEquals(Set.of("deposit:chain-tx-77", "deposit:chain-tx-77-retry"), keys);

        HttpResponse<String> r = call("POST", "/ledger/reversal", "{\"refId\":\"deposit:chain-tx-77-retry\","
                + "\"reason\":\"deposit chain-tx-77 credited twice (INC-1234)\",\"idempotencyKey\":\"inc-1234-rev\"}",
                "ops.alice");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode set = data(r).get(0);
        assertEquals("REVERSAL", set.get("kind").asText());
        assertEquals("deposit:chain-tx-77-retry", set.get("refKey").asText());
        assertEquals(LedgerRepair.reversalKey("deposit:chain-tx-77-retry"), set.get("postingKey").asText());
        assertFalse(set.get("replayed").asBoolean());
        assertEquals("-2", leg(set, alice).get("amount").asText());

        assertEquals(2 * BTC_UNIT, ledger.balance(alice, btc.id())[0], "the duplicate's credit is taken back");
        assertEquals(-2 * BTC_UNIT, ledger.balance(SystemAccounts.EXTERNAL, btc.id())[0]);
        // the journal keeps both deposits and the reversal
        assertEquals(2, count("SELECT COUNT(*) FROM ledger_entries WHERE posting_key = 'deposit:chain-tx-77'"));
        assertEquals(2, count("SELECT COUNT(*) FROM ledger_entries WHERE posting_key = 'deposit:chain-tx-77-retry'"));
        assertEquals(2, count("SELECT COUNT(*) FROM ledger_entries WHERE kind = 'REVERSAL'"));
        assertClean();
        assertEquals(1.0, operations("ledger.reversal"));

        // (d) the audit row: who, what, which set, the touched balances before and after, the request id
        JsonNode row = auditRows("ledger.reversal").get(0);
        assertEquals("ops.alice", row.get("actor").asText());
        assertEquals("deposit:chain-tx-77-retry", row.get("target").asText());
        assertEquals(r.headers().firstValue("x-request-id").orElseThrow(), row.get("requestId").asText());
        assertEquals("4", balanceIn(JSON.readTree(row.get("before").asText()), alice).get("available").asText());
        JsonNode after = JSON.readTree(row.get("after").asText());
        assertEquals("2", balanceIn(after, alice).get("available").asText());
        assertEquals("deposit chain-tx-77 credited twice (INC-1234)", after.get("reason").asText());
        assertEquals("inc-1234-rev", after.get("idempotencyKey").asText());

        // the same request again answers the first result; any other reversal of the set is refused
        Snapshot before = snapshot();
        HttpResponse<String> again = call("POST", "/ledger/reversal", "{\"refId\":\"deposit:chain-tx-77-retry\","
                + "\"reason\":\"deposit chain-tx-77 credited twice (INC-1234)\",\"idempotencyKey\":\"inc-1234-rev\"}", null);
        assertEquals(200, again.statusCode(), again.body());
        assertTrue(data(again).get(0).get("replayed").asBoolean());
        assertEquals(set.get("legs"), data(again).get(0).get("legs"));
        assertRefused(call("POST", "/ledger/reversal", "{\"refId\":\"deposit:chain-tx-77-retry\",\"reason\":\"again\"}",
                null), "51000");
        assertRefused(call("POST", "/ledger/reversal", "{\"refId\":\"deposit:chain-tx-77-retry\",\"reason\":\"again\","
                + "\"idempotencyKey\":\"other\"}", null), "51000");
        assertEquals(before, snapshot(), "a repeated or refused reversal changes nothing");
        assertEquals(1.0, operations("ledger.reversal"));

        // the inspection endpoint shows the set and its repair together
        JsonNode withRepairs = data(call("GET", "/ledger/postings?key=deposit%3Achain-tx-77-retry", null, null));
        assertEquals(2, withRepairs.size());
        assertEquals("REVERSAL", withRepairs.get(1).get("kind").asText());
    }

    // ---- (b) missing posting

    @Test
    void aMissingLegIsSupplementedAndReconciliationComesBackClean() throws Exception {
        long alice = createUser("alice");
        long bob = createUser("bob");
        ledger.deposit("bob-1", bob, btc.id(), BTC_UNIT);
        // a bug: a transfer of 0.5 BTC from bob to alice wrote alice's leg (and her balance) but not bob's
        try (Connection c = db.connection(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO ledger_entries (posting_key, leg, kind, account_id, asset_id, bucket, amount) "
                    + "VALUES ('transfer:9', 0, 'TRANSFER', " + alice + ", " + btc.id() + ", 'available', 50000000)");
            s.executeUpdate("UPDATE balances SET available = available + 50000000 WHERE account_id = " + alice
                    + " AND asset_id = " + btc.id());
        }
        ReconciliationReport broken = new Reconciler(db).run();
        assertFalse(broken.clean());
        Anomaly a = broken.anomalies().stream().filter(x -> x.check() == Check.POSTING_SET_BALANCE).findFirst()
                .orElseThrow(() -> new AssertionError(broken.toText()));
        assertEquals("posting set transfer:9, asset 0 (BTC)", a.subject());
        assertEquals("50000000", a.actual());

        Snapshot before = snapshot();
        // a supplement that does not complete the set, an inexact amount: refused, nothing written
        assertRefused(supplement("transfer:9", "fix-9", bob, "BTC", "available", "-0.4"), "51000");
        assertRefused(supplement("transfer:9", "fix-9", bob, "BTC", "available", "-0.500000001"), "51000");
        assertRefused(supplement("transfer:9", "fix-9", bob, "USDT", "available", "-0.5"), "51000");
        assertRefused(supplement("transfer:9", "fix-9", bob, "BTC", "frozen", "-0.5"), "51000");
        assertRefused(supplement("transfer:9", "fix-9", 99_999_999, "BTC", "available", "-0.5"), "51000");
        assertRefused(supplement("nope", "fix-9", bob, "BTC", "available", "-0.5"), "51000");
        assertEquals(before, snapshot());

        HttpResponse<String> r = supplement("transfer:9", "fix-9", bob, "BTC", "available", "-0.5");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode set = data(r).get(0);
        assertEquals("SUPPLEMENT", set.get("kind").asText());
        assertEquals("sup:fix-9", set.get("postingKey").asText());
        assertEquals("transfer:9", set.get("refKey").asText());
        assertEquals(BTC_UNIT / 2, ledger.balance(bob, btc.id())[0]);
        assertClean();
        assertEquals(1.0, operations("ledger.supplement"));
        JsonNode row = auditRows("ledger.supplement").get(0);
        assertEquals("transfer:9", row.get("target").asText());
        assertEquals(r.headers().firstValue("x-request-id").orElseThrow(), row.get("requestId").asText());
        assertEquals("1", balanceIn(JSON.readTree(row.get("before").asText()), bob).get("available").asText());
        assertEquals("0.5", balanceIn(JSON.readTree(row.get("after").asText()), bob).get("available").asText());

        // retried: the first result; the key reused for other legs, or the set supplemented again: refused
        Snapshot done = snapshot();
        HttpResponse<String> again = supplement("transfer:9", "fix-9", bob, "BTC", "available", "-0.5");
        assertEquals(200, again.statusCode(), again.body());
        assertTrue(data(again).get(0).get("replayed").asBoolean());
        assertRefused(supplement("transfer:9", "fix-9", bob, "BTC", "available", "-0.25"), "51000");
        assertRefused(supplement("transfer:9", "fix-10", bob, "BTC", "available", "-0.5"), "51000"); // balanced now
        assertEquals(done, snapshot());
        assertEquals(1.0, operations("ledger.supplement"));

        // reversing the supplemented transfer undoes it with its supplement, and stays clean
        HttpResponse<String> rev = call("POST", "/ledger/reversal", "{\"refId\":\"transfer:9\",\"reason\":\"undo\"}", null);
        assertEquals(200, rev.statusCode(), rev.body());
        assertEquals(2, data(rev).get(0).get("legs").size());
        assertEquals(0, ledger.balance(alice, btc.id())[0]);
        assertEquals(BTC_UNIT, ledger.balance(bob, btc.id())[0]);
        assertClean();
    }

    // ---- (c) refusals change nothing

    @Test
    void everyRefusedRepairChangesNothing() throws Exception {
        long alice = createUser("alice");
        long bob = createUser("bob");
        ledger.deposit("alice-1", alice, btc.id(), BTC_UNIT);
        // alice then pays her whole BTC to bob: reversing her deposit would take her below zero
        post("pay:1", "TRANSFER", new LedgerEntry("pay:1", 0, "TRANSFER", alice, btc.id(), "available", -BTC_UNIT,
                null, null, null), new LedgerEntry("pay:1", 1, "TRANSFER", bob, btc.id(), "available", BTC_UNIT,
                null, null, null));
        // an unbalanced set crediting bob 5 BTC whose missing leg would overdraw alice
        post("bug:2", "TRANSFER", new LedgerEntry("bug:2", 0, "TRANSFER", bob, btc.id(), "available", 5 * BTC_UNIT,
                null, null, null));
        HttpResponse<String> rev = call("POST", "/ledger/reversal", "{\"refId\":\"pay:1\",\"reason\":\"test\"}", null);
        assertEquals(200, rev.statusCode(), rev.body());
        String reversalKey = data(rev).get(0).get("postingKey").asText();
        HttpResponse<String> back = call("POST", "/ledger/reversal", "{\"refId\":\"" + reversalKey
                + "\",\"reason\":\"undo the undo\",\"allowRepair\":true}", null);
        assertEquals(200, back.statusCode(), back.body()); // alice paid bob after all

        Snapshot before = snapshot();
        double failures = meters.find("bourse_audit_write_failures_total").counter().count();
        HttpResponse<String> negative = call("POST", "/ledger/reversal",
                "{\"refId\":\"deposit:alice-1\",\"reason\":\"test\"}", null);
        assertRefused(negative, "51008");
        assertTrue(json(negative).get("msg").asText().contains("account " + alice), negative.body());
        assertTrue(json(negative).get("msg").asText().contains("BTC"), negative.body());
        HttpResponse<String> overdraw = supplement("bug:2", "fix-2", alice, "BTC", "available", "-5");
        assertRefused(overdraw, "51008");
        assertTrue(json(overdraw).get("msg").asText().contains("account " + alice), overdraw.body());
        assertRefused(call("POST", "/ledger/reversal", "{\"refId\":\"deposit:nope\",\"reason\":\"test\"}", null), "51000");
        assertRefused(call("POST", "/ledger/reversal", "{\"refId\":\"deposit:alice-1\"}", null), "50014");
        assertRefused(call("POST", "/ledger/reversal", "{\"refId\":\"deposit:alice-1\",\"reason\":\" \"}", null), "50014");
        assertRefused(call("POST", "/ledger/reversal", "{\"reason\":\"test\"}", null), "50014");
        assertRefused(call("POST", "/ledger/reversal", "", null), "50000");
        assertRefused(call("POST", "/ledger/reversal", "{\"refId\":\"" + reversalKey + "\",\"reason\":\"x\"}", null),
                "51000"); // a repair, without allowRepair
        assertRefused(call("POST", "/ledger/reversal", "{\"refId\":\"" + reversalKey + "\",\"reason\":\"x\","
                + "\"allowRepair\":\"yes\"}", null), "51000");
        assertRefused(call("POST", "/ledger/reversal", "{\"refId\":\"" + data(back).get(0).get("postingKey").asText()
                + "\",\"reason\":\"x\",\"allowRepair\":true}", null), "51000"); // a repair of a repair
        assertRefused(call("POST", "/ledger/supplement", "{\"refId\":\"bug:2\",\"reason\":\"x\",\"entries\":[{\"accountId\":\""
                + bob + "\",\"ccy\":\"BTC\",\"bucket\":\"available\",\"amount\":\"-5\"}]}", null), "50014"); // no key
        assertRefused(call("POST", "/ledger/supplement", "{\"refId\":\"bug:2\",\"reason\":\"x\",\"idempotencyKey\":\"k\","
                + "\"entries\":[]}", null), "50014");
        assertRefused(supplement("bug:2", "fix-2", bob, "BTC", "available", "0"), "51000");
        assertRefused(supplement("pay:1", "fix-3", bob, "BTC", "available", "-1"), "51000"); // reversed set
        assertRefused(supplement("deposit:alice-1", "fix-4", bob, "BTC", "available", "-1"), "51000"); // balanced
        assertEquals(before, snapshot(), "journal, balances and audit log unchanged");
        assertEquals(failures, meters.find("bourse_audit_write_failures_total").counter().count());
    }

    // ---- audit log

    @Test
    void theAuditLogOnlyGrowsAndIsQueryableNewestFirst() throws Exception {
        List<List<List<String>>> history = new ArrayList<>();
        history.add(auditTable());
        long alice = createUser("alice");
        history.add(auditTable());
        long bob = createUser("bob");
        history.add(auditTable());
        HttpResponse<String> key = call("POST", "/api-keys", "{\"userId\":\"" + alice
                + "\",\"label\":\"bot\",\"passphrase\":\"Pass-phrase1\",\"perm\":\"read_only,trade\"}", "ops.dave");
        assertEquals(200, key.statusCode(), key.body());
        String apiKey = data(key).get(0).get("apiKey").asText();
        history.add(auditTable());
        HttpResponse<String> revoke = call("POST", "/api-keys/revoke", "{\"apiKey\":\"" + apiKey + "\"}", "ops.erin");
        assertEquals(200, revoke.statusCode(), revoke.body());
        history.add(auditTable());
        ledger.deposit("d1", alice, btc.id(), BTC_UNIT);
        ledger.deposit("d1-dup", alice, btc.id(), BTC_UNIT);
        assertEquals(200, call("POST", "/ledger/reversal", "{\"refId\":\"deposit:d1-dup\",\"reason\":\"dup\"}", null)
                .statusCode());
        history.add(auditTable());
        post("bug:3", "TRANSFER", new LedgerEntry("bug:3", 0, "TRANSFER", bob, btc.id(), "available", 1, null, null, null));
        assertEquals(200, supplement("bug:3", "fix-3", SystemAccounts.EXTERNAL, "BTC", "available", "-0.00000001")
                .statusCode());
        history.add(auditTable());
        // refused and read-only calls write nothing
        call("POST", "/ledger/reversal", "{\"refId\":\"deposit:d1-dup\",\"reason\":\"dup\"}", null);
        call("GET", "/audit?limit=100", null, null);
        call("GET", "/users?userId=" + alice, null, null);
        history.add(auditTable());
        for (int i = 1; i < history.size(); i++) {
            List<List<String>> prev = history.get(i - 1);
            List<List<String>> next = history.get(i);
            assertTrue(next.size() >= prev.size(), "the audit log never shrinks");
            assertEquals(prev, next.subList(0, prev.size()), "existing audit rows never change");
        }
        assertEquals(6, history.getLast().size());
        assertEquals(history.get(history.size() - 2), history.getLast());
        assertClean();

        // the API-key rows carry the key's state before and after, and the request id
        JsonNode created = auditRows("api_key.create").get(0);
        assertEquals("ops.dave", created.get("actor").asText());
        assertEquals(apiKey, created.get("target").asText());
        assertEquals("", created.get("before").asText());
        assertEquals("live", JSON.readTree(created.get("after").asText()).get("state").asText());
        assertEquals(key.headers().firstValue("x-request-id").orElseThrow(), created.get("requestId").asText());
        assertFalse(created.toString().contains("Pass-phrase1"));
        assertFalse(created.toString().contains(data(key).get(0).get("secretKey").asText()));
        JsonNode revoked = auditRows("api_key.revoke").get(0);
        assertEquals("ops.erin", revoked.get("actor").asText());
        assertEquals("live", JSON.readTree(revoked.get("before").asText()).get("state").asText());
        assertEquals("revoked", JSON.readTree(revoked.get("after").asText()).get("state").asText());
        assertEquals(revoke.headers().firstValue("x-request-id").orElseThrow(), revoked.get("requestId").asText());

        // newest first, filters, paging with after=<auditId>
        JsonNode all = data(call("GET", "/audit", null, null));
        assertEquals(6, all.size());
        for (int i = 1; i < all.size(); i++) {
            assertTrue(all.get(i - 1).get("auditId").asLong() > all.get(i).get("auditId").asLong());
        }
        assertEquals("ledger.supplement", all.get(0).get("action").asText());
        assertTrue(all.get(0).get("ts").asLong() > 0);
        assertEquals(2, data(call("GET", "/audit?action=user.create", null, null)).size());
        assertEquals(1, data(call("GET", "/audit?actor=ops.erin", null, null)).size());
        assertEquals(1, data(call("GET", "/audit?target=" + apiKey + "&action=api_key.revoke", null, null)).size());
        JsonNode page1 = data(call("GET", "/audit?limit=4", null, null));
        assertEquals(4, page1.size());
        JsonNode page2 = data(call("GET", "/audit?limit=4&after=" + page1.get(3).get("auditId").asText(), null, null));
        assertEquals(2, page2.size());
        assertEquals(all.get(4), page2.get(0));
        assertRefused(call("GET", "/audit?limit=0", null, null), "51000");
        assertRefused(call("GET", "/audit?limit=101", null, null), "51000");
        assertRefused(call("GET", "/audit?after=x", null, null), "51000");
        for (String method : List.of("PUT", "DELETE", "POST")) {
            assertEquals(404, call(method, "/audit", "{}", null).statusCode(), method + " /audit");
        }
        assertEquals(history.getLast(), auditTable());
    }

    @Test
    void aFailedAuditWriteFailsTheChange() throws Exception {
        long alice = createUser("alice");
        ledger.deposit("d1", alice, btc.id(), BTC_UNIT);
        ledger.deposit("d1-dup", alice, btc.id(), BTC_UNIT);
        // the database refuses audit rows of these actions: the audit insert fails inside the repair's
        // transaction, exactly as a full disk or a lost connection would make it fail
        try (Connection c = db.connection(); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE audit_log ADD CONSTRAINT it_refuses_audit CHECK (action NOT IN "
                    + "('ledger.reversal', 'ledger.supplement', 'user.create')) NOT VALID");
        }
        Snapshot before = snapshot();
        long accounts = count("SELECT COUNT(*) FROM accounts");
        HttpResponse<String> r = call("POST", "/ledger/reversal", "{\"refId\":\"deposit:d1-dup\",\"reason\":\"dup\"}", null);
        assertEquals(500, r.statusCode(), r.body());
        assertEquals("50026", json(r).get("code").asText());
        assertFalse(r.body().contains("it_refuses_audit"), "no database detail reaches the client");
        HttpResponse<String> u = call("POST", "/users", "{\"name\":\"bob\"}", null);
        assertEquals(500, u.statusCode(), u.body());
        assertEquals(before, snapshot(), "the reversal did not happen");
        assertEquals(2 * BTC_UNIT, ledger.balance(alice, btc.id())[0]);
        assertEquals(accounts, count("SELECT COUNT(*) FROM accounts"), "the user was not created");
        assertEquals(-1, ledger.accountId("bob"));
        assertEquals(2.0, meters.find("bourse_audit_write_failures_total").counter().count());
        assertEquals(0.0, operations("ledger.reversal"));

        try (Connection c = db.connection(); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE audit_log DROP CONSTRAINT it_refuses_audit");
        }
        assertEquals(200, call("POST", "/ledger/reversal", "{\"refId\":\"deposit:d1-dup\",\"reason\":\"dup\"}", null)
                .statusCode());
        assertEquals(BTC_UNIT, ledger.balance(alice, btc.id())[0]);
        assertClean();
    }

    // ---- helpers

    private long createUser(String name) throws Exception {
        HttpResponse<String> r = call("POST", "/users", "{\"name\":\"" + name + "\"}", null);
        assertEquals(200, r.statusCode(), r.body());
        return data(r).get(0).get("userId").asLong();
    }

    private HttpResponse<String> supplement(String refId, String key, long account, String ccy, String bucket,
                                            String amount) throws Exception {
        return call("POST", "/ledger/supplement", "{\"refId\":\"" + refId + "\",\"reason\":\"missing leg\","
                + "\"idempotencyKey\":\"" + key + "\",\"entries\":[{\"accountId\":\"" + account + "\",\"ccy\":\"" + ccy
                + "\",\"bucket\":\"" + bucket + "\",\"amount\":\"" + amount + "\"}]}", null);
    }

    /** Writes a set and its balance changes in one transaction, as an engine writer would (legs may not balance). */
    private void post(String key, String kind, LedgerEntry... legs) throws Exception {
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            LedgerWriter.insert(c, List.of(legs));
            BalanceDeltas d = new BalanceDeltas();
            for (LedgerEntry e : legs) {
                d.add(e);
            }
            assertTrue(BalanceWriter.apply(c, d).isEmpty(), key);
            c.commit();
        }
    }

    private HttpResponse<String> call(String method, String path, String body, String actor) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/admin/v1" + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json")
                .header("X-Admin-Token", TOKEN);
        if (actor != null) {
            b.header("X-Admin-Actor", actor);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    private static JsonNode data(HttpResponse<String> r) throws Exception {
        JsonNode n = json(r);
        assertEquals("0", n.get("code").asText(), r.body());
        return n.get("data");
    }

    private static void assertRefused(HttpResponse<String> r, String code) throws Exception {
        assertEquals(400, r.statusCode(), r.body());
        assertEquals(code, json(r).get("code").asText(), r.body());
        assertFalse(json(r).get("msg").asText().isEmpty());
        assertEquals(0, json(r).get("data").size());
    }

    private JsonNode auditRows(String action) throws Exception {
        return data(call("GET", "/audit?action=" + action, null, null));
    }

    private static JsonNode leg(JsonNode set, long account) {
        for (JsonNode l : set.get("legs")) {
            if (l.get("accountId").asLong() == account) {
                return l;
            }
        }
        throw new AssertionError("no leg of " + account + " in " + set);
    }

    private static JsonNode balanceIn(JsonNode state, long account) {
        for (JsonNode b : state.get("balances")) {
            if (b.get("accountId").asLong() == account) {
                return b;
            }
        }
        throw new AssertionError("no balance of " + account + " in " + state);
    }

    private double operations(String action) {
        Counter c = meters.find("bourse_admin_operations_total").tag("action", action).counter();
        return c == null ? 0 : c.count();
    }

    private void assertClean() throws Exception {
        ReconciliationReport report = new Reconciler(db).run();
        assertTrue(report.clean(), report.toText());
    }

    private long count(String sql) throws Exception {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Journal, balances and audit log, every column of every row, in a stable order. */
    private record Snapshot(List<List<String>> journal, List<List<String>> balances, List<List<String>> audit) {
    }

    private Snapshot snapshot() throws Exception {
        return new Snapshot(rows("SELECT * FROM ledger_entries ORDER BY posting_key, leg"),
                rows("SELECT * FROM balances ORDER BY account_id, asset_id"), auditTable());
    }

    private List<List<String>> auditTable() throws Exception {
        return rows("SELECT * FROM audit_log ORDER BY audit_id");
    }

    private List<List<String>> rows(String sql) throws Exception {
        List<List<String>> out = new ArrayList<>();
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.add(String.valueOf(rs.getObject(i)));
                }
                out.add(row);
            }
        }
        return out;
    }

    @Test
    void snapshotsSeeAChange() throws Exception {
        // the "nothing changed" assertions above rely on snapshot(); it must notice a one-unit change
        long alice = createUser("alice");
        Snapshot before = snapshot();
        ledger.deposit("one", alice, btc.id(), 1);
        assertNotEquals(before, snapshot());
    }
}
