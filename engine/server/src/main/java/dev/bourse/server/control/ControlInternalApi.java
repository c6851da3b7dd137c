package dev.bourse.server.control;

import dev.bourse.server.http.Json;
import dev.bourse.server.http.RequestIds;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.List;

/**
 * The control plane's side of the internal API (registered after the InternalApi, which checks
 * {@code X-Internal-Token} for everything under {@code /internal/v1}). The operator pushes desired
 * state here, level-triggered and idempotent, and reads back what this pod applied:
 * <pre>
 * GET    /status                   shard, epoch, recovered, queue, in flight, last committed sequence,
 *                                  switch versions (stored and applied), active switches, drained
 * GET    /switches, GET/PUT/DELETE /switches/{name}   as in the admin API; PUT carries "generation"
 * POST   /symbols/state            {"instId", "state", "reason"}: on this pod's shard (pods forward here)
 * </pre>
 * The actor is {@code X-Actor} when given (the operator names itself), else {@code internal}.
 */
public final class ControlInternalApi implements HttpService {
    private final SwitchEndpoints endpoints;
    private final ControlPlane control;

    public ControlInternalApi(ControlPlane control, MeterRegistry meters) {
        this.control = control;
        this.endpoints = new SwitchEndpoints(control, new SwitchEndpoints.Caller() {
            @Override
            public String actor(ServerRequest req) {
                String a = req.headers().first(HeaderNames.create("X-Actor")).orElse("internal");
                return a.matches("[A-Za-z0-9._@:-]{1,64}") ? a : "internal";
            }

            @Override
            public String requestId(ServerRequest req) {
                String id = req.headers().first(HeaderNames.create("x-request-id")).orElse("");
                return id.matches("[A-Za-z0-9-]{1,64}") ? id : RequestIds.next();
            }
        }, meters);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/status", (req, res) -> Json.ok(res, List.of(control.status())))
                .get("/switches", endpoints::list)
                .get("/switches/{name}", endpoints::get)
                .put("/switches/{name}", endpoints::put)
                .delete("/switches/{name}", endpoints::delete)
                .post("/symbols/state", this::localState);
    }

    /** A state change for this pod's own shard (another pod forwarded it, or the operator asks directly). */
    private void localState(ServerRequest req, ServerResponse res) {
        endpoints.symbolState(req, res, null, true);
    }
}
