package dev.bourse.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bourse.server.auth.ApiKeyVerifier;
import dev.bourse.server.auth.ApiPrincipal;
import dev.bourse.server.auth.AuthException;
import dev.bourse.server.auth.Permission;
import dev.bourse.server.auth.SignedRequest;
import dev.bourse.server.http.Json;
import dev.bourse.server.http.RequestIds;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The OKX V5 REST surface under {@code /api/v5}: one place for what every endpoint shares — request id,
 * signature check against the raw request target and body bytes, key permission, rate limits, OKX's
 * envelope and error model. The endpoints themselves live in small per-feature classes.
 */
public final class TraderApi implements HttpService {
    private static final Logger LOG = Logger.getLogger(TraderApi.class.getName());
    static final HeaderName REQUEST_ID = HeaderNames.create("x-request-id");
    private static final HeaderName KEY = HeaderNames.create("OK-ACCESS-KEY");
    private static final HeaderName SIGN = HeaderNames.create("OK-ACCESS-SIGN");
    private static final HeaderName TIMESTAMP = HeaderNames.create("OK-ACCESS-TIMESTAMP");
    private static final HeaderName PASSPHRASE = HeaderNames.create("OK-ACCESS-PASSPHRASE");

    /** Who may call an endpoint. */
    public enum Access { PUBLIC, READ, TRADE }

    @FunctionalInterface
    public interface Endpoint {
        Reply handle(ApiCall call) throws Exception;
    }

    private record Route(boolean post, String path, Access access, String rule, Endpoint endpoint) {
    }

    private final ApiKeyVerifier verifier;
    private final RateGate gate;
    private final MeterRegistry meters;
    private final List<Route> routes = new ArrayList<>();

    public TraderApi(ApiKeyVerifier verifier, RateGate gate, MeterRegistry meters) {
        this.verifier = verifier;
        this.gate = gate;
        this.meters = meters;
    }

    /**
     * @param rule rate-limit rule applied per caller (per IP when public) before the endpoint runs; null
     *             when the endpoint limits itself (per instrument)
     */
    public TraderApi get(String path, Access access, String rule, Endpoint endpoint) {
        routes.add(new Route(false, path, access, rule, endpoint));
        return this;
    }

    public TraderApi post(String path, Access access, String rule, Endpoint endpoint) {
        routes.add(new Route(true, path, access, rule, endpoint));
        return this;
    }

    @Override
    public void routing(HttpRules rules) {
        for (Route r : routes) {
            Handler h = (req, res) -> serve(r, req, res);
            if (r.post) {
                rules.post(r.path, h);
            } else {
                rules.get(r.path, h);
            }
        }
    }

    private void serve(Route route, ServerRequest req, ServerResponse res) {
        long inMicros = nowMicros();
        String requestId = RequestIds.next();
        res.header(REQUEST_ID, requestId);
        String ip = clientIp(req);
        Timer.Sample sample = Timer.start(meters);
        Reply reply;
        try {
            byte[] body = req.content().hasEntity() ? req.content().as(byte[].class) : new byte[0];
            ApiPrincipal who = null;
            if (route.access != Access.PUBLIC) {
                who = authenticate(req, body, ip);
                if (route.access == Access.TRADE && !who.can(Permission.TRADE)) {
                    throw new ApiError(200, "50120", "This API key doesn't have permission to use this function");
                }
            }
            if (route.rule != null) {
                gate.acquire(route.rule, who, ip, null, 1);
            }
            reply = route.endpoint.handle(new ApiCall(req, requestId, body, who, ip));
        } catch (ApiError e) {
            LOG.info(() -> "[" + requestId + "] " + req.prologue().method() + " " + route.path + " refused: " + e.code() + " "
                    + e.getMessage());
            reply = new Reply(e.status(), e.code(), e.getMessage(), List.of(), false);
        } catch (AuthException e) {
            LOG.info(() -> "[" + requestId + "] " + req.prologue().method() + " " + route.path + " from " + ip
                    + " not authenticated: " + e.code() + " " + e.getMessage());
            reply = new Reply(e.httpStatus(), e.code(), e.getMessage(), List.of(), false);
        } catch (Exception e) {
            LOG.log(Level.WARNING, "[" + requestId + "] " + req.prologue().method() + " " + route.path + " failed", e);
            reply = new Reply(500, "50026", "System error. Try again later", List.of(), false);
        }
        send(res, reply, inMicros);
        sample.stop(Timer.builder("bourse_api_request_seconds").description("Trader REST API request latency")
                .tag("endpoint", route.path).publishPercentileHistogram(false).register(meters));
        Counter.builder("bourse_api_requests_total").description("Trader REST API requests by endpoint and OKX code")
                .tag("endpoint", route.path).tag("code", reply.code()).register(meters).increment();
    }

    /** The peer's IP address as text (what API key allowlists and per-IP limits compare). */
    private static String clientIp(ServerRequest req) {
        if (req.remotePeer().address() instanceof InetSocketAddress a && a.getAddress() != null) {
            return a.getAddress().getHostAddress();
        }
        return req.remotePeer().host();
    }

    private ApiPrincipal authenticate(ServerRequest req, byte[] body, String ip) {
        String query = req.prologue().query().rawValue();
        String target = req.prologue().uriPath().rawPath() + (query == null || query.isEmpty() ? "" : "?" + query);
        return verifier.verify(new SignedRequest(header(req, KEY), header(req, SIGN), header(req, TIMESTAMP),
                header(req, PASSPHRASE), req.prologue().method().text(), target, body, ip));
    }

    private static String header(ServerRequest req, HeaderName name) {
        return req.headers().first(name).orElse(null);
    }

    private static void send(ServerResponse res, Reply reply, long inMicros) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("code", reply.code());
        root.put("msg", reply.msg());
        root.putArray("data").addAll(reply.data());
        if (reply.timed()) {
            root.put("inTime", Long.toString(inMicros));
            root.put("outTime", Long.toString(nowMicros()));
        }
        try {
            res.status(Status.create(reply.status()))
                    .header(HeaderNames.CONTENT_TYPE, "application/json")
                    .send(Json.MAPPER.writeValueAsBytes(root));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }
}
