package dev.bourse.server.trading;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bourse.server.auth.ApiPrincipal;
import dev.bourse.server.auth.Permission;
import dev.bourse.server.events.InProcessEventBus;
import dev.bourse.server.http.Json;
import dev.bourse.server.shard.Shard;
import dev.bourse.server.store.Database;
import dev.bourse.server.support.TestDatabases;
import dev.bourse.server.support.TraderFixture;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A command that reaches a shard which no longer holds its instrument (it moved) is sent once more to
 * the owner the database names now; when the owner has not changed, the trader gets the retryable answer.
 */
class ShardOrderEntryRoutingTest {
    private static final ApiPrincipal ALICE = new ApiPrincipal(10_000, "key", Set.of(Permission.READ, Permission.TRADE));

    private static ObjectNode envelope(String sCode, String sMsg) {
        ObjectNode env = Json.MAPPER.createObjectNode();
        env.put("code", "0".equals(sCode) ? "0" : "1");
        env.put("msg", "");
        ObjectNode d = env.putArray("data").addObject();
        d.put("ordId", "0".equals(sCode) ? "1000000000001" : "");
        d.put("sCode", sCode);
        d.put("sMsg", sMsg);
        return env;
    }

    private static ObjectNode buy() {
        return Json.MAPPER.createObjectNode().put("instId", "BTC-USDT").put("tdMode", "cash").put("side", "buy")
                .put("ordType", "limit").put("px", "60000").put("sz", "0.01");
    }

    @Test
    void aMovedInstrumentIsSentOnceMoreToItsNewOwner() throws Exception {
        try (TestDatabases.TestDb testDb = TestDatabases.h2(); Database db = testDb.open()) {
            TraderFixture.list(db); // BTC-USDT on shard 0
            InstrumentCatalog catalog = new InstrumentCatalog(db).load();
            List<String> calls = new CopyOnWriteArrayList<>();
            ShardForwarder forwarder = (shard, path, body) -> {
                calls.add(shard + " " + path + " " + body.path("instId").asText());
                if (shard == 0) { // the move commits, then shard 0 answers that it no longer holds the symbol
                    moveTo(db, 1);
                    return CompletableFuture.completedFuture(envelope(Shard.CODE_UNAVAILABLE, Shard.MSG_NOT_HERE + "BTC-USDT; try again."));
                }
                return CompletableFuture.completedFuture(envelope("0", ""));
            };
            // this pod's shard (9) owns nothing here: every order is forwarded
            Shard local = new Shard(db, new InProcessEventBus(10, new SimpleMeterRegistry()), new SimpleMeterRegistry(), 9, "t",
                    10_000, 16, 16);
            ShardOrderEntry entry = new ShardOrderEntry(catalog, local, forwarder, new SimpleMeterRegistry());
            Thread.sleep(150); // the catalog reads the database again at most every 100 ms

            JsonNode item = entry.place(ALICE, buy()).get();
            assertEquals("0", item.path("sCode").asText(), item.toString());
            assertEquals(List.of("0 /orders BTC-USDT", "1 /orders BTC-USDT"), calls);
            assertEquals(1, catalog.byInstId("BTC-USDT").shardId(), "the catalog follows the move");
        }
    }

    @Test
    void withoutANewOwnerTheTraderGetsTheRetryableAnswer() throws Exception {
        try (TestDatabases.TestDb testDb = TestDatabases.h2(); Database db = testDb.open()) {
            TraderFixture.list(db);
            InstrumentCatalog catalog = new InstrumentCatalog(db).load();
            List<Integer> calls = new CopyOnWriteArrayList<>();
            ShardForwarder forwarder = (shard, path, body) -> { // the symbol is moving to shard 0 and not loaded yet
                calls.add(shard);
                return CompletableFuture.completedFuture(envelope(Shard.CODE_UNAVAILABLE, Shard.MSG_NOT_HERE + "BTC-USDT; try again."));
            };
            Shard local = new Shard(db, new InProcessEventBus(10, new SimpleMeterRegistry()), new SimpleMeterRegistry(), 9, "t",
                    10_000, 16, 16);
            ShardOrderEntry entry = new ShardOrderEntry(catalog, local, forwarder, new SimpleMeterRegistry());
            Thread.sleep(150);
            JsonNode item = entry.cancel(ALICE, Json.MAPPER.createObjectNode().put("instId", "BTC-USDT").put("ordId", "5")).get();
            assertEquals(Shard.CODE_UNAVAILABLE, item.path("sCode").asText());
            assertTrue(Shard.notHere(item.path("sCode").asText(), item.path("sMsg").asText()), item.toString());
            assertEquals(List.of(0), calls, "sent once: the owner did not change");
        }
    }

    private static void moveTo(Database db, int shard) {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("UPDATE instruments SET shard_id = ? WHERE inst_id = 'BTC-USDT'")) {
            ps.setInt(1, shard);
            ps.executeUpdate();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
