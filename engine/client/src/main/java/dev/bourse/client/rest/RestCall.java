package dev.bourse.client.rest;

import dev.bourse.client.error.RequestStateException;
import dev.bourse.client.rest.gate.Cancellation;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * One prepared call: {@link #execute} runs it once (on the calling thread), {@link #cancel} stops it from any other
 * thread — while it waits in the gate (then nothing was sent), sleeps before a retry, or is on the wire (then the
 * outcome is unknown, as the exception's {@code dispatched} flag says).
 */
public final class RestCall<T> {
    private final RestTransport transport;
    private final RestRequest request;
    private final RuntimeException preflight;
    private final String method;
    private final String path;
    private final Function<RestResponse, T> reader;
    private final RequestOptions options;
    private final Cancellation cancellation = new Cancellation();
    private final AtomicBoolean executed = new AtomicBoolean();

    RestCall(RestTransport transport, RestService<T> service, RequestOptions options) {
        this.transport = transport;
        this.method = service.method().name();
        this.path = service.path();
        this.options = options;
        this.reader = service::read;
        RestRequest built = null;
        RuntimeException failed = null;
        try {
            built = service.request();
        } catch (IllegalArgumentException | IllegalStateException e) {
            failed = e;
        }
        this.request = built;
        this.preflight = failed;
    }

    /** The request as it will be sent; null when the parameters were refused (execute says why). */
    public RestRequest request() {
        return request;
    }

    /**
     * Runs the call.
     *
     * @throws dev.bourse.client.error.ApiException          the exchange answered with an error
     * @throws RequestStateException a parameter was refused (PREFLIGHT) or no answer came (GATE, HTTP)
     * @throws IllegalStateException when called a second time
     */
    public T execute() {
        if (!executed.compareAndSet(false, true)) {
            throw new IllegalStateException("a RestCall runs once; ask the service for a new one");
        }
        if (preflight != null) {
            transport.countPreflight();
            throw new RequestStateException(RequestStateException.Stage.PREFLIGHT, false, method, path,
                    preflight.getMessage(), preflight, 0, Duration.ZERO);
        }
        return reader.apply(transport.execute(request, options, cancellation));
    }

    public void cancel() {
        cancellation.cancel();
    }

    public boolean isCanceled() {
        return cancellation.isCanceled();
    }
}
