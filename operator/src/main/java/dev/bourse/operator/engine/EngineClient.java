package dev.bourse.operator.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The engine's internal API as the operator uses it (okhttp, JSON in OKX envelopes). Every request carries
 * {@code X-Internal-Token}, {@code X-Actor: operator} and a request id the engine writes into its audit log.
 * A pod that cannot be reached throws {@link EngineException}; a pod that answers "no" throws
 * {@link EngineRefusedException}; a GET of something absent is an empty Optional.
 */
public final class EngineClient {
    public static final String ACTOR = "operator";
    private static final MediaType JSON = MediaType.get("application/json");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final OkHttpClient http;
    private final String token;
    private final MeterRegistry meters;

    public EngineClient(OkHttpClient http, String token, MeterRegistry meters) {
        this.http = http;
        this.token = token;
        this.meters = meters;
    }

    /**
     * Timeouts for the engine's answers: a switch change waits up to 5 s for every shard, a symbol-state change up
     * to 30 s for its shard's sequencer.
     */
    public static OkHttpClient defaultHttp() {
        return new OkHttpClient.Builder()
                .connectTimeout(Duration.ofSeconds(3))
                .readTimeout(Duration.ofSeconds(35))
                .writeTimeout(Duration.ofSeconds(10))
                .callTimeout(Duration.ofSeconds(40))
                .retryOnConnectionFailure(true)
                .build();
    }

    // ------------------------------------------------------------------ status

    public EngineStatus status(EnginePod pod) {
        return EngineStatus.fromJson(first(call(pod, "status", "GET", "/internal/v1/status", null)));
    }

    // ------------------------------------------------------------------ switches

    public Optional<JsonNode> getSwitch(EnginePod pod, String name) {
        return optional(pod, "switch.get", "/internal/v1/switches/" + name);
    }

    /** {@code data[0]}: the stored switch ({@code version}, {@code generation}...), {@code changed}, per-shard confirmation. */
    public JsonNode putSwitch(EnginePod pod, String name, ObjectNode body) {
        return first(call(pod, "switch.put", "PUT", "/internal/v1/switches/" + name, body));
    }

    public JsonNode deleteSwitch(EnginePod pod, String name) {
        return first(call(pod, "switch.delete", "DELETE", "/internal/v1/switches/" + name, null));
    }

    // ------------------------------------------------------------------ wallet policies

    public Optional<JsonNode> getWalletPolicy(EnginePod pod, String asset) {
        return optional(pod, "wallet-policy.get", "/internal/v1/wallet-policies/" + asset);
    }

    /** {@code data[0]}: {@code asset, generation, version, applied, outcome (applied|unchanged|stale), policy}. */
    public JsonNode putWalletPolicy(EnginePod pod, String asset, ObjectNode body) {
        return first(call(pod, "wallet-policy.put", "PUT", "/internal/v1/wallet-policies/" + asset, body));
    }

    // ------------------------------------------------------------------ symbols and instruments

    /** Sets a symbol's trading state ({@code live|cancel_only|suspend}); any pod routes it to the owner. */
    public JsonNode setSymbolState(EnginePod pod, String instId, String state, String reason) {
        ObjectNode b = JsonNodeFactory.instance.objectNode();
        b.put("instId", instId);
        b.put("state", state);
        b.put("reason", reason);
        return first(call(pod, "symbol.state", "POST", "/internal/v1/symbols/state", b));
    }

    public Optional<JsonNode> getInstrument(EnginePod pod, String instId) {
        return optional(pod, "instrument.get", "/internal/v1/instruments/" + instId);
    }

    /** {@code data[0]}: {@code instId, shard, generation, outcome (created|updated|unchanged), state, loaded}. */
    public JsonNode putInstrument(EnginePod pod, String instId, ObjectNode body) {
        return first(call(pod, "instrument.put", "PUT", "/internal/v1/instruments/" + instId, body));
    }

    /** {@code data[0]}: {@code instId, fromShard, toShard, outcome (moved|unchanged), restingOrders, loaded}. */
    public JsonNode moveInstrument(EnginePod pod, String instId, int toShard, long generation) {
        ObjectNode b = JsonNodeFactory.instance.objectNode();
        b.put("toShard", toShard);
        b.put("generation", generation);
        return first(call(pod, "instrument.move", "POST", "/internal/v1/instruments/" + instId + "/move", b));
    }

    /**
     * Circuit-breaker trips of {@code instId} counted by the pod since it started ({@code bourse_breaker_trips_total}
     * on its public {@code /metrics}); 0 when the pod does not list the symbol.
     */
    public long breakerTrips(EnginePod pod, String instId) {
        String text = raw(pod, "metrics", "/metrics");
        double sum = 0;
        String label = "symbol=\"" + instId + "\"";
        for (String line : text.split("\n")) {
            if (line.startsWith("bourse_breaker_trips_total{") && line.contains(label)) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return (long) sum;
    }

    // ------------------------------------------------------------------ plumbing

    private Optional<JsonNode> optional(EnginePod pod, String call, String path) {
        try {
            return Optional.of(first(call(pod, call, "GET", path, null)));
        } catch (EngineRefusedException e) {
            if (e.httpStatus() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static JsonNode first(JsonNode envelope) {
        JsonNode d = envelope.path("data");
        return d.isArray() && !d.isEmpty() ? d.get(0) : JsonNodeFactory.instance.objectNode();
    }

    private Request.Builder request(EnginePod pod, String path) {
        URI base = pod.address();
        HttpUrl url = HttpUrl.get(base.resolve(path).toString());
        return new Request.Builder().url(url)
                .header("X-Internal-Token", token)
                .header("X-Actor", ACTOR)
                .header("x-request-id", "op-" + UUID.randomUUID());
    }

    private String raw(EnginePod pod, String call, String path) {
        long t0 = System.nanoTime();
        try (Response r = http.newCall(request(pod, path).get().build()).execute()) {
            String body = r.body().string();
            if (!r.isSuccessful()) {
                count(call, "refused", t0);
                throw new EngineRefusedException(pod.name(), r.code(), Integer.toString(r.code()), body, null);
            }
            count(call, "ok", t0);
            return body;
        } catch (IOException e) {
            count(call, "unavailable", t0);
            throw new EngineException(pod.name(), "engine " + pod.name() + " (" + pod.address() + ") did not answer "
                    + path + ": " + e.getMessage(), e);
        }
    }

    private JsonNode call(EnginePod pod, String call, String method, String path, JsonNode body) {
        long t0 = System.nanoTime();
        Request.Builder b = request(pod, path);
        RequestBody rb = body == null ? null : RequestBody.create(body.toString(), JSON);
        if ("GET".equals(method)) {
            b.get();
        } else if ("DELETE".equals(method)) {
            b.delete(rb);
        } else {
            b.method(method, rb == null ? RequestBody.create(new byte[0], JSON) : rb);
        }
        String text;
        int status;
        try (Response r = http.newCall(b.build()).execute()) {
            status = r.code();
            text = r.body().string();
        } catch (IOException e) {
            count(call, "unavailable", t0);
            throw new EngineException(pod.name(), "engine " + pod.name() + " (" + pod.address() + ") did not answer "
                    + method + " " + path + ": " + e.getMessage(), e);
        }
        JsonNode json;
        try {
            json = MAPPER.readTree(text);
        } catch (IOException e) {
            json = null;
        }
        if ((json == null || !json.isObject()) && status / 100 == 4) {
            // e.g. an engine too old to know the path: a refusal, not an outage
            count(call, "refused", t0);
            throw new EngineRefusedException(pod.name(), status, Integer.toString(status), abbreviate(text), null);
        }
        if (json == null || !json.isObject()) {
            count(call, "unavailable", t0);
            throw new EngineException(pod.name(), "engine " + pod.name() + " answered " + method + " " + path
                    + " with HTTP " + status + " and no JSON: " + abbreviate(text), null);
        }
        String code = json.path("code").asText("");
        if (status >= 500) {
            // the engine is busy, recovering or the owner moved meanwhile (50001): worth asking again
            count(call, "unavailable", t0);
            throw new EngineException(pod.name(), "engine " + pod.name() + " answered " + method + " " + path + " with HTTP "
                    + status + " (code " + code + "): " + json.path("msg").asText(""), null);
        }
        if (status / 100 != 2 || !"0".equals(code)) {
            count(call, "refused", t0);
            JsonNode item = first(json);
            String msg = json.path("msg").asText("");
            if (item.hasNonNull("sMsg") && !item.path("sMsg").asText().isEmpty()) {
                msg = item.path("sMsg").asText() + (msg.isEmpty() ? "" : " (" + msg + ")");
            }
            String c = item.hasNonNull("sCode") && !"0".equals(item.path("sCode").asText()) ? item.path("sCode").asText()
                    : code;
            throw new EngineRefusedException(pod.name(), status, c, msg, json.path("data"));
        }
        count(call, "ok", t0);
        return json;
    }

    private void count(String call, String outcome, long t0) {
        if (meters == null) {
            return;
        }
        Counter.builder("bourse.operator.engine.requests").description("Requests to the engines' internal API")
                .tags("call", call, "outcome", outcome).register(meters).increment();
        Timer.builder("bourse.operator.engine.request").description("Time of a request to an engine's internal API")
                .tags("call", call).register(meters).record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
    }

    private static String abbreviate(String s) {
        String t = s == null ? "" : s.replaceAll("\\s+", " ");
        return t.length() > 200 ? t.substring(0, 200) + "..." : t;
    }
}
