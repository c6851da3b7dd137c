package dev.bourse.server.admin;

import dev.bourse.server.http.Json;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.logging.Level;
import java.util.logging.Logger;

/** Answers shared by the admin services: refusals (logged with the request id), system errors, the operations counter. */
public final class AdminReplies {
    private static final Logger LOG = Logger.getLogger(AdminReplies.class.getName());

    private AdminReplies() {
    }

    /** A refused request: HTTP 400, OKX code and message, nothing changed. */
    public static void refuse(ServerRequest req, ServerResponse res, String code, String msg) {
        LOG.info(() -> "[" + AdminGate.requestId(req) + "] admin API: refused " + req.prologue().method() + " "
                + req.path().path() + " by " + AdminGate.actor(req) + ": " + code + " " + msg);
        Json.error(res, Status.BAD_REQUEST_400, code, msg);
    }

    /** A failure of ours: logged with its cause, answered without it. */
    public static void systemError(ServerRequest req, ServerResponse res, Exception e) {
        LOG.log(Level.SEVERE, "[" + AdminGate.requestId(req) + "] admin API: " + req.prologue().method() + " "
                + req.path().path() + " failed", e);
        Json.error(res, Status.INTERNAL_SERVER_ERROR_500, "50026", "System error. Try again later");
    }

    /** Counts one high-risk operation in {@code bourse_admin_operations_total{action}}. */
    public static void count(MeterRegistry meters, String action) {
        Counter.builder("bourse_admin_operations_total")
                .description("High-risk admin operations carried out")
                .tag("action", action)
                .register(meters).increment();
    }
}
