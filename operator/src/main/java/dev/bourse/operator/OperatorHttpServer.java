package dev.bourse.operator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * {@code /healthz} (the process and its informers are healthy), {@code /readyz} (the operator has started: caches
 * synced, or standing by for the leader lease) and {@code /metrics} (Prometheus text) on {@code OPERATOR_HTTP_PORT}.
 */
public final class OperatorHttpServer implements AutoCloseable {
    private final HttpServer server;

    /**
     * @param healthy returns null when healthy, else why not
     * @param ready   true once the operator has started
     */
    public OperatorHttpServer(int port, Supplier<String> healthy, BooleanSupplier ready, PrometheusMeterRegistry registry)
            throws IOException {
        server = HttpServer.create(new InetSocketAddress(port), 16);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "operator-http");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/healthz", ex -> {
            String problem = healthy.get();
            send(ex, problem == null ? 200 : 503, problem == null ? "ok\n" : problem + "\n", "text/plain; charset=utf-8");
        });
        server.createContext("/readyz", ex -> {
            boolean ok = ready.getAsBoolean();
            send(ex, ok ? 200 : 503, ok ? "ok\n" : "starting\n", "text/plain; charset=utf-8");
        });
        server.createContext("/metrics", ex -> send(ex, 200, registry.scrape(),
                "text/plain; version=0.0.4; charset=utf-8"));
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void send(HttpExchange ex, int status, String body, String type) throws IOException {
        try (ex) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", type);
            if ("HEAD".equals(ex.getRequestMethod())) {
                ex.sendResponseHeaders(status, -1);
                return;
            }
            ex.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
