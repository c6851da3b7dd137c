package dev.bourse.client.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bourse.client.auth.Credentials;
import dev.bourse.client.auth.OkxSigner;
import dev.bourse.client.auth.ServerClock;
import dev.bourse.client.error.ApiException;
import dev.bourse.client.error.ItemResult;
import dev.bourse.client.error.OkxClientException;
import dev.bourse.client.error.OkxErrors;
import dev.bourse.client.error.RequestStateException;
import dev.bourse.client.error.RequestStateException.Stage;
import dev.bourse.client.rest.gate.Cancellation;
import dev.bourse.client.rest.gate.GateRefusal;
import dev.bourse.client.rest.gate.RequestGate;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one place that sends REST requests: gate, signing, demo-trading header, sending, OKX's envelope, errors and
 * GET retries. Services only build a {@link RestRequest} and read the {@link RestResponse}.
 *
 * <p>Per attempt: wait in the {@link RequestGate} (deadline, cancellation) → sign with the {@link ServerClock}'s
 * estimate of the server time → send → an answer with HTTP 2xx and {@code code} "0" is returned, any other answer
 * is an {@link ApiException}, no answer a {@link RequestStateException} saying whether the request went out.
 * Rate-limit answers pause the gate; any other answer ends a pause series. Idempotent requests are retried by the
 * {@link RetryPolicy}; POSTs never.
 */
public final class RestTransport {
    /** Codes that mean "try again later" for an idempotent request. */
    static final Set<String> RETRY_CODES = Set.of("50001", "50004", "50011", "50013", "50026");
    private static final MediaType JSON = MediaType.get("application/json");

    /**
     * @param baseUrl        scheme, host and port, e.g. {@code http://127.0.0.1:8080} or {@code https://www.okx.com}
     * @param credentials    for signed endpoints; null for a public-only client
     * @param demoTrading    send {@code x-simulated-trading: 1} (OKX's demo trading; Bourse ignores it)
     * @param requestTimeout default deadline of a call: gate wait, attempts and retry pauses together
     */
    public record Settings(String baseUrl, Credentials credentials, boolean demoTrading, String userAgent,
                           Duration requestTimeout, RetryPolicy retry) {
        public Settings {
            Objects.requireNonNull(baseUrl, "baseUrl");
            Objects.requireNonNull(userAgent, "userAgent");
            Objects.requireNonNull(requestTimeout, "requestTimeout");
            Objects.requireNonNull(retry, "retry");
        }
    }

    private final Settings settings;
    private final String base;
    private final String basePath;
    private final OkxSigner signer;
    private final OkHttpClient http;
    private final RequestGate gate;
    private final ServerClock clock;

    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong attempts = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong apiErrors = new AtomicLong();
    private final AtomicLong notSent = new AtomicLong();
    private final AtomicLong unknown = new AtomicLong();
    private final AtomicLong rateLimited = new AtomicLong();

    public RestTransport(Settings settings, OkHttpClient http, RequestGate gate, ServerClock clock) {
        this.settings = settings;
        HttpUrl url = HttpUrl.parse(settings.baseUrl());
        if (url == null) {
            throw new IllegalArgumentException("baseUrl is not an http(s) URL: " + settings.baseUrl());
        }
        String s = url.toString();
        this.base = s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
        String p = url.encodedPath();
        this.basePath = p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
        this.signer = settings.credentials() == null ? null : new OkxSigner(settings.credentials().secretKey());
        this.http = http.newBuilder().eventListenerFactory(DispatchTrace.FACTORY).build();
        this.gate = gate;
        this.clock = clock;
    }

    public Settings settings() {
        return settings;
    }

    public RequestGate gate() {
        return gate;
    }

    public ServerClock clock() {
        return clock;
    }

    public RestStats stats() {
        return new RestStats(calls.get(), attempts.get(), retries.get(), apiErrors.get(), notSent.get(), unknown.get(),
                rateLimited.get(), gate.stats());
    }

    /**
     * Sends {@code request} (retrying if it is idempotent) and returns the successful answer.
     *
     * @throws ApiException          the exchange answered with an error
     * @throws RequestStateException no answer: see its stage and dispatched flag
     */
    public RestResponse execute(RestRequest request, RequestOptions options, Cancellation cancel) {
        calls.incrementAndGet();
        try {
            return run(request, options == null ? RequestOptions.DEFAULT : options,
                    cancel == null ? new Cancellation() : cancel);
        } catch (ApiException e) {
            apiErrors.incrementAndGet();
            throw e;
        } catch (RequestStateException e) {
            (e.dispatched() ? unknown : notSent).incrementAndGet();
            throw e;
        }
    }

    /** A call that failed before it reached the transport (a service's parameter check). */
    public void countPreflight() {
        calls.incrementAndGet();
        notSent.incrementAndGet();
    }

    private RestResponse run(RestRequest req, RequestOptions options, Cancellation cancel) {
        long start = System.nanoTime();
        long deadline = deadline(options, start);
        String method = req.method().name();
        if (req.signed() && signer == null) {
            throw new RequestStateException(Stage.PREFLIGHT, false, method, req.path(),
                    "a private endpoint needs credentials (ClientConfig.credentials)", null, 0, Duration.ZERO);
        }
        RetryPolicy retry = !req.idempotent() ? RetryPolicy.none()
                : options.retry() != null ? options.retry() : settings.retry();
        for (int attempt = 0; ; attempt++) {
            OkxClientException failure;
            RequestGate.Permit permit;
            try {
                permit = gate.acquire(req.costs(), deadline, cancel);
            } catch (GateRefusal r) {
                throw new RequestStateException(Stage.GATE, false, method, req.path(),
                        r.reason().name().toLowerCase() + ": " + r.getMessage(), r, attempt, since(start));
            }
            try {
                RestResponse ok = attempt(req, attempt, start, deadline, cancel);
                gate.onSuccess(req.costs());
                return ok;
            } catch (ApiException e) {
                if (OkxErrors.isRateLimit(e)) {
                    rateLimited.incrementAndGet();
                    gate.onRateLimited(req.costs(), e.httpStatus(), rateLimitCode(e));
                } else {
                    gate.onSuccess(req.costs());
                }
                failure = e;
            } catch (RequestStateException e) {
                failure = e;
            } finally {
                permit.close();
            }
            if (attempt + 1 >= retry.maxAttempts() || cancel.isCanceled() || !retryable(failure)) {
                throw failure;
            }
            long pause = retry.delayNanos(attempt + 1);
            if (System.nanoTime() + pause >= deadline) {
                throw failure;
            }
            try {
                if (!cancel.sleep(pause)) {
                    throw failure;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure;
            }
            retries.incrementAndGet();
        }
    }

    private long deadline(RequestOptions options, long start) {
        long d = start + (options.timeout() != null ? options.timeout() : settings.requestTimeout()).toNanos();
        if (options.deadline() != null) {
            long untilWall = Duration.between(Instant.now(), options.deadline()).toNanos();
            d = Math.min(d, start + untilWall);
        }
        return d;
    }

    private static String rateLimitCode(ApiException e) {
        if (OkxErrors.RATE_LIMIT_CODES.contains(e.code())) {
            return e.code();
        }
        for (ItemResult i : e.items()) {
            if (OkxErrors.RATE_LIMIT_CODES.contains(i.sCode())) {
                return i.sCode();
            }
        }
        return e.code();
    }

    static boolean retryable(OkxClientException e) {
        if (e instanceof RequestStateException r) {
            return r.stage() == Stage.HTTP;
        }
        ApiException a = (ApiException) e;
        return a.httpStatus() == 429 || a.httpStatus() >= 500 || RETRY_CODES.contains(a.code());
    }

    private RestResponse attempt(RestRequest req, int attempt, long start, long deadline, Cancellation cancel) {
        String method = req.method().name();
        String target = req.target();
        HttpUrl url = HttpUrl.parse(base + target);
        String sentTarget = url == null ? null
                : url.encodedPath() + (url.encodedQuery() == null ? "" : "?" + url.encodedQuery());
        if (sentTarget == null || !sentTarget.equals(basePath + target)) {
            throw new RequestStateException(Stage.PREFLIGHT, false, method, req.path(),
                    "cannot send " + target + " exactly as signed (sent as " + sentTarget + ")", null, attempt, since(start));
        }
        byte[] body = req.bodyUnsafe();
        Request.Builder b = new Request.Builder().url(url)
                .header("Accept", "application/json")
                .header("User-Agent", settings.userAgent());
        if (settings.demoTrading()) {
            b.header("x-simulated-trading", "1");
        }
        if (body != null) {
            b.post(new OneShotBody(body));
        } else {
            b.get();
        }
        if (req.signed()) {
            Credentials c = settings.credentials();
            String ts = OkxSigner.restTimestamp(clock.now());
            b.header("OK-ACCESS-KEY", c.apiKey())
                    .header("OK-ACCESS-SIGN", signer.sign(ts, method, target, body))
                    .header("OK-ACCESS-TIMESTAMP", ts)
                    .header("OK-ACCESS-PASSPHRASE", c.passphrase());
        }
        DispatchTrace trace = new DispatchTrace();
        b.tag(DispatchTrace.class, trace);
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new RequestStateException(Stage.HTTP, false, method, req.path(), "deadline passed before sending",
                    null, attempt, since(start));
        }
        Call call = http.newCall(b.build());
        call.timeout().timeout(left, TimeUnit.NANOSECONDS);
        attempts.incrementAndGet();
        long sent = clock.localMillis();
        Cancellation.Registration onCancel = cancel.onCancel(call::cancel);
        try (Response resp = call.execute()) {
            String text = resp.body().string();
            long received = clock.localMillis();
            return answer(req, resp.code(), resp.header("x-request-id"), text, sent, received, attempt, start);
        } catch (IOException e) {
            String why = cancel.isCanceled() ? "cancelled" : describe(e);
            throw new RequestStateException(Stage.HTTP, trace.dispatched(), method, req.path(), why, e, attempt,
                    since(start));
        } finally {
            onCancel.close();
        }
    }

    private static String describe(IOException e) {
        if (e instanceof ConnectException) {
            return "connection refused: " + e.getMessage();
        }
        if (e instanceof UnknownHostException) {
            return "unknown host: " + e.getMessage();
        }
        if (e instanceof SocketTimeoutException || e instanceof InterruptedIOException) {
            return "timeout: " + e.getMessage();
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private RestResponse answer(RestRequest req, int status, String requestId, String text, long sent, long received,
                                int attempt, long start) {
        String method = req.method().name();
        JsonNode root = null;
        try {
            root = text.isEmpty() ? null : Json.MAPPER.readTree(text);
        } catch (IOException notJson) {
            root = null;
        }
        boolean envelope = root != null && root.isObject() && root.hasNonNull("code");
        String code = envelope ? root.get("code").asText() : "";
        String msg = envelope ? root.path("msg").asText("") : "not an OKX answer (HTTP " + status + ")";
        JsonNode data = envelope ? root.get("data") : null;
        if (data == null || data.isNull()) {
            data = Json.array();
        } else if (!data.isArray()) {
            data = Json.array().add(data);
        }
        Duration elapsed = since(start);
        if (status / 100 == 2 && envelope && "0".equals(code)) {
            return new RestResponse(status, method, req.path(), requestId, code, msg, data, Json.text(root, "inTime"),
                    Json.text(root, "outTime"), text, sent, received, attempt, elapsed);
        }
        throw new ApiException(status, method, req.path(), requestId, code, msg, text, items(data), attempt, elapsed);
    }

    private static List<ItemResult> items(JsonNode data) {
        List<ItemResult> out = new ArrayList<>();
        int i = 0;
        for (JsonNode n : data) {
            if (n.isObject() && n.has("sCode")) {
                out.add(new ItemResult(i, n.path("sCode").asText(""), n.path("sMsg").asText(""),
                        n.path("ordId").asText(""), n.path("clOrdId").asText(""), n.path("reqId").asText("")));
            }
            i++;
        }
        return out;
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** One-shot: okhttp must never send it a second time on its own (it might place an order twice). */
    private static final class OneShotBody extends RequestBody {
        private final byte[] bytes;

        OneShotBody(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public MediaType contentType() {
            return JSON;
        }

        @Override
        public long contentLength() {
            return bytes.length;
        }

        @Override
        public boolean isOneShot() {
            return true;
        }

        @Override
        public void writeTo(BufferedSink sink) throws IOException {
            sink.write(bytes);
        }
    }
}
