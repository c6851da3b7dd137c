package dev.bourse.client.rest;

import okhttp3.Call;
import okhttp3.EventListener;

/**
 * Records whether okhttp began writing a request (attached to the request as a tag). Until then a failure means
 * "not sent" — connection refused, DNS, TLS — and afterwards "sent, outcome unknown". okhttp's own silent retries do
 * not blur this: request bodies are one-shot, so it never re-sends a request it began writing.
 */
final class DispatchTrace {
    static final EventListener.Factory FACTORY = call -> {
        DispatchTrace trace = call.request().tag(DispatchTrace.class);
        return trace == null ? EventListener.NONE : new Listener(trace);
    };

    private volatile boolean started;

    boolean dispatched() {
        return started;
    }

    private static final class Listener extends EventListener {
        private final DispatchTrace trace;

        Listener(DispatchTrace trace) {
            this.trace = trace;
        }

        @Override
        public void requestHeadersStart(Call call) {
            trace.started = true;
        }
    }
}
