package dev.bourse.server.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bourse.instrument.SymbolState;
import dev.bourse.server.admin.AdminReplies;
import dev.bourse.server.http.Json;
import dev.bourse.server.shard.CommandOutcome;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.micrometer.core.instrument.MeterRegistry;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The switch and symbol-state handlers, written once and mounted twice: in the admin API (people,
 * {@code X-Admin-Token}) and in the internal API (the operator, {@code X-Internal-Token}). Answers are
 * OKX envelopes; a refused request changes nothing and says why.
 */
final class SwitchEndpoints {
    private static final Logger LOG = Logger.getLogger(SwitchEndpoints.class.getName());

    /** Who is asking and under which request id, as the mounting API knows it. */
    interface Caller {
        String actor(ServerRequest req);

        String requestId(ServerRequest req);
    }

    private final ControlPlane control;
    private final Caller caller;
    private final MeterRegistry meters;

    SwitchEndpoints(ControlPlane control, Caller caller, MeterRegistry meters) {
        this.control = control;
        this.caller = caller;
        this.meters = meters;
    }

    void list(ServerRequest req, ServerResponse res) {
        TradingPolicy p = control.board().policy();
        List<ObjectNode> rows = new ArrayList<>();
        for (TradingSwitch sw : p.switches()) {
            rows.add(view(sw));
        }
        ObjectNode d = Json.MAPPER.createObjectNode();
        d.put("version", p.version());
        d.putArray("switches").addAll(rows);
        d.set("status", control.status());
        Json.ok(res, List.of(d));
    }

    void get(ServerRequest req, ServerResponse res) {
        String name = req.path().pathParameters().get("name");
        Optional<TradingSwitch> sw = control.board().get(name);
        if (sw.isEmpty()) {
            refuse(req, res, Status.NOT_FOUND_404, "51000", "Parameter name error: no switch " + name);
            return;
        }
        Json.ok(res, List.of(view(sw.get())));
    }

    void put(ServerRequest req, ServerResponse res) {
        String name = req.path().pathParameters().get("name");
        ObjectNode body = Json.body(req);
        try {
            if (body == null) {
                throw new SwitchSpecException("50000", "Body for PUT request cannot be empty.");
            }
            SwitchSpec spec = SwitchSpec.parse(body);
            long generation = generation(body);
            SwitchBoard.Change change = control.board().put(name, spec, generation, caller.actor(req), caller.requestId(req));
            answer(res, change.stored(), change.changed(), change.policy().version());
        } catch (SwitchSpecException e) {
            refuse(req, res, Status.BAD_REQUEST_400, e.code(), e.getMessage());
        } catch (SQLException | RuntimeException e) {
            fail(req, res, e);
        }
    }

    void delete(ServerRequest req, ServerResponse res) {
        String name = req.path().pathParameters().get("name");
        try {
            Optional<SwitchBoard.Change> change = control.board().delete(name, caller.actor(req), caller.requestId(req));
            if (change.isEmpty()) {
                // level-triggered: removing what is not there is done already
                answer(res, null, false, control.board().policy().version());
                return;
            }
            answer(res, null, true, change.get().policy().version());
        } catch (SwitchSpecException e) {
            refuse(req, res, Status.BAD_REQUEST_400, e.code(), e.getMessage());
        } catch (SQLException | RuntimeException e) {
            fail(req, res, e);
        }
    }

    /** {@code {"userId": 10001 | "asset": "USDT", "reason": "..."}}: a user or asset freeze switch. */
    void freeze(ServerRequest req, ServerResponse res) {
        ObjectNode body = Json.body(req);
        try {
            if (body == null) {
                throw new SwitchSpecException("50000", "Body for POST request cannot be empty.");
            }
            String reason = Json.text(body, "reason");
            if (reason == null || reason.isBlank()) {
                throw new SwitchSpecException("50014", "Parameter reason can not be empty.");
            }
            String user = Json.text(body, "userId");
            String asset = Json.text(body, "asset");
            String name;
            SwitchSpec spec;
            if ((user == null) == (asset == null)) {
                throw new SwitchSpecException("51000", "Parameter error: exactly one of userId, asset");
            } else if (user != null) {
                long id;
                try {
                    id = Long.parseLong(user);
                } catch (NumberFormatException e) {
                    id = -1;
                }
                if (id <= 0) {
                    throw new SwitchSpecException("51000", "Parameter userId error");
                }
                name = "freeze-user-" + id;
                spec = SwitchSpec.freezeUser(id, reason.trim());
            } else {
                if (!asset.matches("[A-Z0-9]{1,16}")) {
                    throw new SwitchSpecException("51000", "Parameter asset error");
                }
                name = "freeze-asset-" + asset.toLowerCase(java.util.Locale.ROOT);
                spec = SwitchSpec.freezeAsset(asset, reason.trim());
            }
            SwitchBoard.Change change = control.board().put(name, spec, 0, caller.actor(req), caller.requestId(req));
            answer(res, change.stored(), change.changed(), change.policy().version());
        } catch (SwitchSpecException e) {
            refuse(req, res, Status.BAD_REQUEST_400, e.code(), e.getMessage());
        } catch (SQLException | RuntimeException e) {
            fail(req, res, e);
        }
    }

    /** {@code {"instId", "state": "live|cancel_only|suspend", "reason"}} or the path's instId. */
    void symbolState(ServerRequest req, ServerResponse res, String forcedState) {
        symbolState(req, res, forcedState, false);
    }

    void symbolState(ServerRequest req, ServerResponse res, String forcedState, boolean forwardedAllowed) {
        ObjectNode body = Json.body(req);
        String instId = req.path().pathParameters().first("instId").orElse(body == null ? null : Json.text(body, "instId"));
        String stateText = forcedState != null ? forcedState : body == null ? null : Json.text(body, "state");
        String reason = body == null ? null : Json.text(body, "reason");
        if (instId == null || instId.isBlank()) {
            refuse(req, res, Status.BAD_REQUEST_400, "50014", "Parameter instId can not be empty.");
            return;
        }
        SymbolState state = ControlPlane.parseState(stateText);
        if (state == null) {
            refuse(req, res, Status.BAD_REQUEST_400, "51000", "Parameter state error: live, cancel_only or suspend");
            return;
        }
        if (reason == null || reason.isBlank()) {
            refuse(req, res, Status.BAD_REQUEST_400, "50014", "Parameter reason can not be empty.");
            return;
        }
        try {
            // a pod forwarding to the owner already audited the change where it was asked for
            boolean forwarded = forwardedAllowed && body != null && body.path("forwarded").asBoolean(false);
            CommandOutcome out = forwarded ? control.routeState(instId, state)
                    : control.setSymbolState(instId, state, reason.trim(), caller.actor(req), caller.requestId(req));
            ObjectNode d = Json.MAPPER.createObjectNode();
            d.put("instId", instId);
            d.put("state", state.okxState());
            d.put("seq", Long.toString(out.seq()));
            d.put("sCode", out.sCode());
            d.put("sMsg", out.sMsg());
            if (out.ok()) {
                AdminReplies.count(meters, "symbol.state");
                Json.ok(res, List.of(d));
            } else {
                Json.send(res, Status.OK_200, "1", "Operation failed.", List.of(d));
            }
        } catch (SQLException | RuntimeException e) {
            fail(req, res, e);
        }
    }

    private void answer(ServerResponse res, TradingSwitch stored, boolean changed, long version) {
        if (changed) {
            AdminReplies.count(meters, "switch.change");
        }
        ObjectNode d = Json.MAPPER.createObjectNode();
        if (stored != null) {
            d.setAll(view(stored));
        }
        d.put("changed", changed);
        d.put("boardVersion", version);
        d.putArray("shards").addAll(control.appliedEverywhere(version));
        Json.ok(res, List.of(d));
    }

    static ObjectNode view(TradingSwitch sw) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("name", sw.name());
        n.setAll(sw.spec().toJson());
        n.put("effectiveMode", sw.spec().effectiveMode().wire());
        n.put("generation", sw.generation());
        n.put("version", sw.version());
        n.put("updatedAt", Long.toString(sw.updatedAtMillis()));
        n.put("actor", sw.actor());
        return n;
    }

    private static long generation(JsonNode body) throws SwitchSpecException {
        JsonNode g = body.get("generation");
        if (g == null || g.isNull()) {
            return 0;
        }
        if (g.isIntegralNumber() || g.asText().matches("\\d{1,18}")) {
            return g.asLong();
        }
        throw new SwitchSpecException("51000", "Parameter generation error");
    }


    private static void refuse(ServerRequest req, ServerResponse res, Status status, String code, String msg) {
        LOG.info(() -> "control: refused " + req.prologue().method() + " " + req.path().path() + ": " + code + " " + msg);
        Json.error(res, status, code, msg);
    }

    private static void fail(ServerRequest req, ServerResponse res, Exception e) {
        LOG.log(Level.SEVERE, "control: " + req.prologue().method() + " " + req.path().path() + " failed", e);
        Json.error(res, Status.INTERNAL_SERVER_ERROR_500, "50026", "System error. Try again later");
    }
}
