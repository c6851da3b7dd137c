package dev.bourse.server.control;

import dev.bourse.server.admin.AdminGate;
import dev.bourse.server.http.Json;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.List;

/**
 * Kill switches, freezes and symbol states in the admin API (registered after {@link AdminGate} at
 * {@code /admin/v1}; see docs/control-plane.md):
 * <pre>
 * GET    /switches                 every switch, the board version and this pod's status
 * GET    /switches/{name}
 * PUT    /switches/{name}          create or replace; answers each shard's applied version and sequence
 * DELETE /switches/{name}          remove (the explicit resume)
 * POST   /freezes                  {"userId"|"asset", "reason"} -> switch freeze-user-ID / freeze-asset-CCY
 * DELETE /freezes/{name}
 * POST   /symbols/{instId}/state   {"state": "live|cancel_only|suspend", "reason"}
 * POST   /symbols/{instId}/resume  {"reason"}: back to live after a halt or a circuit-breaker trip
 * GET    /status                   this pod's control status
 * </pre>
 */
public final class ControlAdminApi implements HttpService {
    private final SwitchEndpoints endpoints;
    private final ControlPlane control;

    public ControlAdminApi(ControlPlane control, MeterRegistry meters) {
        this.control = control;
        this.endpoints = new SwitchEndpoints(control, new SwitchEndpoints.Caller() {
            @Override
            public String actor(ServerRequest req) {
                return AdminGate.actor(req);
            }

            @Override
            public String requestId(ServerRequest req) {
                return AdminGate.requestId(req);
            }
        }, meters);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/switches", endpoints::list)
                .get("/switches/{name}", endpoints::get)
                .put("/switches/{name}", endpoints::put)
                .delete("/switches/{name}", endpoints::delete)
                .post("/freezes", endpoints::freeze)
                .delete("/freezes/{name}", endpoints::delete)
                .post("/symbols/{instId}/state", (req, res) -> endpoints.symbolState(req, res, null))
                .post("/symbols/{instId}/resume", (req, res) -> endpoints.symbolState(req, res, "live"))
                .get("/status", (req, res) -> Json.ok(res, List.of(control.status())));
    }
}
