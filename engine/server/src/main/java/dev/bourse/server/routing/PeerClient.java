package dev.bourse.server.routing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bourse.server.http.Json;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Calls another engine pod's internal API ({@code X-Internal-Token}) for requests whose instrument is
 * owned by a shard this process does not sequence. HTTP/1.1 with keep-alive (the JDK client pools
 * connections per peer), 1 s to connect, 10 s per request by default.
 *
 * <p>Never throws for a network problem: a peer that cannot be reached (refused, unresolvable, connect
 * timeout, no URL configured) is answered 50001, and nothing happened there. Once a command may have
 * been sent, a timeout or a broken connection is answered 50004, which OKX defines as "does not mean
 * that the request was successful or failed" — the client checks the order (by clOrdId) before retrying.
 */
public final class PeerClient {
    private static final Logger LOG = Logger.getLogger(PeerClient.class.getName());
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(1);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final String PREFIX = "/internal/v1";

    private final ShardDirectory directory;
    private final String token;
    private final MeterRegistry meters;
    private final Duration requestTimeout;
    private final HttpClient http;
    private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Integer, Timer> timers = new ConcurrentHashMap<>();

    public PeerClient(ShardDirectory directory, String internalToken, MeterRegistry meters) {
        this(directory, internalToken, meters, DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT);
    }

    public PeerClient(ShardDirectory directory, String internalToken, MeterRegistry meters, Duration connectTimeout,
                      Duration requestTimeout) {
        this.directory = directory;
        this.token = internalToken;
        this.meters = meters;
        this.requestTimeout = requestTimeout;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** {@code POST /internal/v1/orders} on the pod serving {@code shardId}. */
    public PeerResponse placeOrder(int shardId, ObjectNode body) {
        return post(shardId, "/orders", body);
    }

    public PeerResponse cancelOrder(int shardId, ObjectNode body) {
        return post(shardId, "/orders/cancel", body);
    }

    public PeerResponse amendOrder(int shardId, ObjectNode body) {
        return post(shardId, "/orders/amend", body);
    }

    public PeerResponse massCancel(int shardId, ObjectNode body) {
        return post(shardId, "/orders/mass-cancel", body);
    }

    /** {@code GET /internal/v1/depth}: a commit-consistent book snapshot of {@code instId}. */
    public PeerResponse depth(int shardId, String instId, int sz) {
        return get(shardId, "/depth?instId=" + URLEncoder.encode(instId, StandardCharsets.UTF_8) + "&sz=" + sz);
    }

    /** POSTs a JSON body to {@code /internal/v1 + path}: a command, so a lost answer is 50004. */
    public PeerResponse post(int shardId, String path, ObjectNode body) {
        byte[] bytes;
        try {
            bytes = Json.MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialize the forwarded body", e);
        }
        return call(shardId, path, HttpRequest.BodyPublishers.ofByteArray(bytes), true);
    }

    /** GETs {@code /internal/v1 + pathAndQuery}: a read, so any failure is 50001. */
    public PeerResponse get(int shardId, String pathAndQuery) {
        return call(shardId, pathAndQuery, null, false);
    }

    private PeerResponse call(int shardId, String path, HttpRequest.BodyPublisher body, boolean command) {
        long t0 = System.nanoTime();
        PeerResponse r = exchange(shardId, path, body, command);
        timers.computeIfAbsent(shardId, s -> Timer.builder("bourse_forwarded_request_seconds").tag("shard", Integer.toString(s))
                        .description("requests forwarded to the pod owning the instrument, until its answer")
                        .publishPercentiles(0.5, 0.99).register(meters))
                .record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
        counters.computeIfAbsent(shardId + ":" + r.outcome().tag(), k -> Counter.builder("bourse_forwarded_requests_total")
                        .tag("shard", Integer.toString(shardId)).tag("outcome", r.outcome().tag()).register(meters))
                .increment();
        return r;
    }

    private PeerResponse exchange(int shardId, String path, HttpRequest.BodyPublisher body, boolean command) {
        Optional<URI> base = directory.baseUrl(shardId);
        if (base.isEmpty()) {
            LOG.warning("no URL for shard " + shardId + " (set SHARD_PEERS or SHARD_URL_TEMPLATE); answering 50001");
            return PeerResponse.unavailable();
        }
        URI uri = URI.create(base.get() + PREFIX + path);
        HttpRequest.Builder req = HttpRequest.newBuilder(uri)
                .timeout(requestTimeout)
                .header("X-Internal-Token", token)
                .header("Accept", "application/json");
        if (body != null) {
            req.header("Content-Type", "application/json").POST(body);
        } else {
            req.GET();
        }
        HttpResponse<byte[]> res;
        try {
            res = http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warning("forwarding " + uri.getPath() + " to shard " + shardId + " interrupted");
            return command ? PeerResponse.timeout() : PeerResponse.unavailable();
        } catch (IOException | RuntimeException e) {
            boolean notSent = neverConnected(e);
            LOG.warning("forwarding " + uri.getPath() + " to shard " + shardId + " at " + base.get() + " failed ("
                    + (notSent ? "not reached" : "outcome unknown") + "): " + e);
            return notSent || !command ? PeerResponse.unavailable() : PeerResponse.timeout();
        }
        JsonNode envelope = parse(res.body());
        if (envelope instanceof ObjectNode o && o.hasNonNull("code")) {
            boolean ok = "0".equals(o.get("code").asText());
            return new PeerResponse(res.statusCode(), o, ok ? PeerResponse.Outcome.OK : PeerResponse.Outcome.REJECTED);
        }
        // not the engine's envelope: a proxy or a restarting pod answered
        LOG.warning("shard " + shardId + " at " + base.get() + " answered " + uri.getPath() + " with HTTP " + res.statusCode()
                + " and no OKX envelope");
        boolean notProcessed = res.statusCode() == 502 || res.statusCode() == 503 || res.statusCode() == 404;
        return notProcessed || !command ? PeerResponse.unavailable() : PeerResponse.timeout();
    }

    /**
     * True when the failure happened before the request could reach the peer. A connect timeout is a
     * timeout too, so it is tested before the general (request) timeout.
     */
    private static boolean neverConnected(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof HttpConnectTimeoutException || t instanceof ConnectException
                    || t instanceof UnresolvedAddressException || t instanceof java.net.UnknownHostException
                    || t instanceof java.net.NoRouteToHostException) {
                return true;
            }
            if (t instanceof HttpTimeoutException) {
                return false;
            }
        }
        return false;
    }

    private static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }
}
