package dev.bourse.client.rest;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One endpoint: a builder for its parameters and the reader of its answer. Subclasses set parameters with fluent
 * setters, check them in {@link #request} (an {@link IllegalArgumentException} becomes a PREFLIGHT
 * {@code RequestStateException}: nothing is sent) and turn the answer into records in {@link #read}.
 *
 * @param <T> what the endpoint returns
 */
public abstract class RestService<T> {
    private final RestTransport transport;
    private final RestRequest.Method method;
    private final String path;

    protected RestService(RestTransport transport, RestRequest.Method method, String path) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.method = method;
        this.path = path;
    }

    /** The request for the parameters set so far. */
    protected abstract RestRequest request();

    /** The typed answer. */
    protected abstract T read(RestResponse response);

    public final RestRequest.Method method() {
        return method;
    }

    /** The transport, for services that feed what they learn back into it (e.g. the gate's account limit). */
    protected final RestTransport transport() {
        return transport;
    }

    /** The endpoint path, e.g. {@code /api/v5/market/ticker}. */
    public final String path() {
        return path;
    }

    /** A call with the client's default deadline and retry policy, to run or cancel. */
    public final RestCall<T> call() {
        return call(RequestOptions.DEFAULT);
    }

    public final RestCall<T> call(RequestOptions options) {
        return new RestCall<>(transport, this, options);
    }

    /** Runs the call on this thread; see {@link RestCall#execute}. */
    public final T execute() {
        return call().execute();
    }

    public final T execute(RequestOptions options) {
        return call(options).execute();
    }

    protected final RestRequest.Builder get() {
        return RestRequest.get(path);
    }

    protected final RestRequest.Builder post() {
        return RestRequest.post(path);
    }

    /** A decimal parameter given as text; an {@link IllegalArgumentException} naming it when it is not a number. */
    protected static BigDecimal decimal(String name, String text) {
        try {
            return text == null ? null : new BigDecimal(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " is not a decimal number: '" + text + "'");
        }
    }

    /** Refuses a missing parameter. */
    protected static <V> V require(String name, V value) {
        if (value == null || (value instanceof String s && s.isBlank())) {
            throw new IllegalArgumentException("parameter " + name + " is required");
        }
        return value;
    }
}
