package dev.bourse.server.admin;

import dev.bourse.server.http.Json;
import dev.bourse.server.http.RequestIds;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * The door of the admin API: registered first under {@code /admin/v1}, it checks {@code X-Admin-Token}
 * in constant time, gives every request an id (answered as {@code x-request-id}, written to the audit
 * rows and the log lines of the request) and names the actor ({@code X-Admin-Actor}, default
 * {@code admin}). The feature services registered after it (API keys, switches, instruments, ledger
 * repair, wallet review, audit) only see authorized requests and read the id and actor from here.
 *
 * <p>Failed token checks are counted per remote address ({@link AdminGateSettings}): an address that
 * failed too often within the window gets HTTP 429 (OKX 50011) for the rest of it, right token or not,
 * so a brute force stops at a few guesses per window.
 */
public final class AdminGate implements HttpService {
    private static final Logger LOG = Logger.getLogger(AdminGate.class.getName());
    public static final String TOKEN_HEADER = "X-Admin-Token";
    public static final HeaderName ACTOR_HEADER = HeaderNames.create("X-Admin-Actor");
    public static final HeaderName REQUEST_ID = HeaderNames.create("x-request-id");
    public static final String DEFAULT_ACTOR = "admin";
    private static final Pattern ACTOR = Pattern.compile("[A-Za-z0-9._@:-]{1,64}");
    private static final String CTX_REQUEST_ID = "bourse.admin.requestId";
    private static final String CTX_ACTOR = "bourse.admin.actor";

    private final byte[] token;
    private final Counter permissionFailures;
    private final Counter throttledRequests;
    private final AuthFailureThrottle throttle;
    private final LongSupplier clock;

    public AdminGate(String adminToken, MeterRegistry meters) {
        this(adminToken, AdminGateSettings.DEFAULTS, meters, System::currentTimeMillis);
    }

    /** @param clock epoch milliseconds (tests move it to cross the failure window) */
    public AdminGate(String adminToken, AdminGateSettings settings, MeterRegistry meters, LongSupplier clock) {
        if (adminToken == null || adminToken.isEmpty()) {
            throw new IllegalArgumentException("ADMIN_TOKEN is empty");
        }
        this.token = adminToken.getBytes(StandardCharsets.UTF_8);
        this.permissionFailures = Counter.builder("bourse_admin_permission_failures_total")
                .description("Admin API requests refused for a missing or wrong X-Admin-Token")
                .register(meters);
        this.throttledRequests = Counter.builder("bourse_admin_auth_throttled_total")
                .description("Admin API requests refused unchecked because their address failed the token check too often")
                .register(meters);
        this.throttle = new AuthFailureThrottle(settings);
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.any(this::authorize);
    }

    private void authorize(ServerRequest req, ServerResponse res) {
        String requestId = RequestIds.next();
        res.header(REQUEST_ID, requestId);
        String ip = clientIp(req);
        if (throttle.throttled(ip, clock.getAsLong())) {
            throttledRequests.increment();
            // one warning when the address becomes throttled (below); a line per refused guess would flood the log
            LOG.fine(() -> "[" + requestId + "] admin API: throttled " + req.prologue().method() + " "
                    + req.path().path() + " from " + ip + " (too many failed " + TOKEN_HEADER + " checks)");
            Json.error(res, Status.TOO_MANY_REQUESTS_429, "50011", "Too Many Requests");
            return;
        }
        Optional<String> given = req.headers().first(HeaderNames.create(TOKEN_HEADER));
        // MessageDigest.isEqual takes time independent of where the first difference is
        if (given.isEmpty() || !MessageDigest.isEqual(token, given.get().getBytes(StandardCharsets.UTF_8))) {
            permissionFailures.increment();
            long now = clock.getAsLong();
            throttle.failed(ip, now);
            if (throttle.throttled(ip, now)) {
                LOG.warning(() -> "[" + requestId + "] admin API: " + ip + " throttled after too many failed "
                        + TOKEN_HEADER + " checks");
            }
            LOG.warning(() -> "[" + requestId + "] admin API: refused " + req.prologue().method() + " " + req.path().path()
                    + " from " + ip + " (" + (given.isEmpty() ? "no" : "wrong") + " "
                    + TOKEN_HEADER + ")");
            Json.error(res, Status.UNAUTHORIZED_401, "50114", "Invalid authorization.");
            return;
        }
        String actor = req.headers().first(ACTOR_HEADER).orElse(DEFAULT_ACTOR);
        if (!ACTOR.matcher(actor).matches()) {
            LOG.info(() -> "[" + requestId + "] admin API: refused " + req.path().path() + ": bad X-Admin-Actor");
            Json.error(res, Status.BAD_REQUEST_400, "51000", "Parameter X-Admin-Actor error: 1-64 of [A-Za-z0-9._@:-]");
            return;
        }
        req.context().register(CTX_REQUEST_ID, requestId);
        req.context().register(CTX_ACTOR, actor);
        res.next();
    }

    /** The id the gate gave this request (also in the {@code x-request-id} answer header). */
    public static String requestId(ServerRequest req) {
        return req.context().get(CTX_REQUEST_ID, String.class).orElse("");
    }

    /** Who made this request ({@code X-Admin-Actor}, default {@code admin}). */
    public static String actor(ServerRequest req) {
        return req.context().get(CTX_ACTOR, String.class).orElse(DEFAULT_ACTOR);
    }

    /** The peer's IP address (without port: one client reconnecting must not start a fresh count). */
    private static String clientIp(ServerRequest req) {
        if (req.remotePeer().address() instanceof InetSocketAddress a && a.getAddress() != null) {
            return a.getAddress().getHostAddress();
        }
        return req.remotePeer().host();
    }
}
