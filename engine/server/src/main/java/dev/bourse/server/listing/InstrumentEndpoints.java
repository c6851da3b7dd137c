package dev.bourse.server.listing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bourse.server.admin.AdminGate;
import dev.bourse.server.http.Json;
import dev.bourse.server.http.RequestIds;
import dev.bourse.server.shard.SymbolChangeRefused;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.sql.SQLException;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The instrument calls, written once and mounted twice (docs/control-plane.md): in the internal API for
 * the operator ({@code X-Internal-Token}, actor from {@code X-Actor}) and in the admin API for people
 * ({@code X-Admin-Token}, actor from {@code X-Admin-Actor}). Each is registered after the API's token check.
 * <pre>
 * GET  /instruments                   every instrument: spec, shard, generation, state, loaded (on this pod)
 * GET  /instruments/{instId}
 * PUT  /instruments/{instId}          list it or change its rules (routed to the owning shard's pod)
 * POST /instruments/{instId}/move     {"toShard", "generation"}: hand it to another shard (halted first)
 * </pre>
 * The internal API also carries the pod-to-pod halves: {@code POST /instruments/{instId}/apply},
 * {@code /release} and {@code /load}, each acting on the receiving pod's own shard.
 */
public final class InstrumentEndpoints implements HttpService {
    private static final Logger LOG = Logger.getLogger(InstrumentEndpoints.class.getName());

    private final InstrumentAdmin admin;
    private final Function<ServerRequest, String> actor;
    private final Function<ServerRequest, String> requestId;
    private final boolean internal;

    private InstrumentEndpoints(InstrumentAdmin admin, Function<ServerRequest, String> actor,
                                Function<ServerRequest, String> requestId, boolean internal) {
        this.admin = admin;
        this.actor = actor;
        this.requestId = requestId;
        this.internal = internal;
    }

    /** For {@code /internal/v1} (after the InternalApi, which checks the token). */
    public static InstrumentEndpoints internal(InstrumentAdmin admin) {
        return new InstrumentEndpoints(admin, req -> {
            String a = req.headers().first(HeaderNames.create("X-Actor")).orElse("internal");
            return a.matches("[A-Za-z0-9._@:-]{1,64}") ? a : "internal";
        }, req -> {
            String id = req.headers().first(HeaderNames.create("x-request-id")).orElse("");
            return id.matches("[A-Za-z0-9-]{1,64}") ? id : RequestIds.next();
        }, true);
    }

    /** For {@code /admin/v1} (after the AdminGate). */
    public static InstrumentEndpoints admin(InstrumentAdmin admin) {
        return new InstrumentEndpoints(admin, AdminGate::actor, AdminGate::requestId, false);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/instruments", (req, res) -> answer(req, res, (who, id) -> admin.list()))
                .get("/instruments/{instId}", (req, res) -> answer(req, res, (who, id) -> List.of(admin.get(instId(req)))))
                .put("/instruments/{instId}", (req, res) -> answer(req, res,
                        (who, id) -> List.of(admin.put(instId(req), Json.body(req), who, id))))
                .post("/instruments/{instId}/move", (req, res) -> answer(req, res,
                        (who, id) -> List.of(admin.move(instId(req), Json.body(req), who, id))));
        if (internal) {
            rules.post("/instruments/{instId}/apply", (req, res) -> answer(req, res,
                            (who, id) -> List.of(admin.applyForwarded(instId(req), body(req)))))
                    .post("/instruments/{instId}/release", (req, res) -> answer(req, res, (who, id) -> {
                        int resting = admin.releaseHere(instId(req), body(req));
                        return List.of(Json.MAPPER.createObjectNode().put("instId", instId(req)).put("restingOrders", resting));
                    }))
                    .post("/instruments/{instId}/load", (req, res) -> answer(req, res, (who, id) -> {
                        int resting = admin.loadHere(instId(req));
                        return List.of(Json.MAPPER.createObjectNode().put("instId", instId(req)).put("restingOrders", resting)
                                .put("loaded", true));
                    }));
        }
    }

    @FunctionalInterface
    private interface Call {
        List<ObjectNode> run(String actor, String requestId) throws SQLException;
    }

    private static String instId(ServerRequest req) {
        return req.path().pathParameters().get("instId");
    }

    private static ObjectNode body(ServerRequest req) {
        ObjectNode b = Json.body(req);
        if (b == null) {
            throw new SymbolChangeRefused("50000", "Body for POST request cannot be empty.");
        }
        return b;
    }

    /** Runs a call and answers its data, its refusal (logged, nothing changed) or a system error. */
    private void answer(ServerRequest req, ServerResponse res, Call call) {
        String who = actor.apply(req);
        String id = requestId.apply(req);
        try {
            Json.ok(res, call.run(who, id));
        } catch (SymbolChangeRefused e) {
            LOG.info(() -> "[" + id + "] instruments: refused " + req.prologue().method() + " " + req.path().path() + " by "
                    + who + ": " + e.code() + " " + e.getMessage());
            Status status = switch (e.code()) {
                case "51001" -> Status.NOT_FOUND_404;
                case "50001" -> Status.SERVICE_UNAVAILABLE_503;
                default -> Status.BAD_REQUEST_400;
            };
            Json.error(res, status, e.code(), e.getMessage());
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.SEVERE, "[" + id + "] instruments: " + req.prologue().method() + " " + req.path().path() + " failed", e);
            Json.error(res, Status.INTERNAL_SERVER_ERROR_500, "50026", "System error. Try again later");
        }
    }
}
