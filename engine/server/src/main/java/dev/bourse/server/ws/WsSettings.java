package dev.bourse.server.ws;

import java.time.Duration;

/**
 * WebSocket limits.
 *
 * @param idleTimeout    a connection that sends nothing (not even {@code ping}) for this long is closed (4004)
 * @param maxQueuedFrames frames waiting to be written to one connection before it counts as a slow consumer
 * @param maxQueuedChars  characters of JSON waiting for one connection before it counts as a slow consumer
 * @param closeGrace      how long a closing connection may take to flush its close frame before the socket is cut
 */
public record WsSettings(Duration idleTimeout, int maxQueuedFrames, long maxQueuedChars, Duration closeGrace) {
    public static final int MAX_BATCH_ITEMS = 20;

    public WsSettings {
        if (idleTimeout.isNegative() || idleTimeout.isZero() || maxQueuedFrames < 1 || maxQueuedChars < 1024) {
            throw new IllegalArgumentException("invalid WebSocket settings: " + idleTimeout + ", " + maxQueuedFrames
                    + " frames, " + maxQueuedChars + " chars");
        }
    }

    public static WsSettings defaults() {
        return new WsSettings(Duration.ofSeconds(30), 8192, 16L << 20, Duration.ofSeconds(2));
    }

    /**
     * From {@code WS_IDLE_TIMEOUT_MS}, {@code WS_MAX_QUEUED_FRAMES}, {@code WS_MAX_QUEUED_CHARS} (a JVM {@code -D}
     * property of the same name wins over the environment variable); defaults otherwise.
     */
    public static WsSettings fromEnvironment() {
        WsSettings d = defaults();
        return new WsSettings(Duration.ofMillis(number("WS_IDLE_TIMEOUT_MS", d.idleTimeout().toMillis())),
                (int) number("WS_MAX_QUEUED_FRAMES", d.maxQueuedFrames()),
                number("WS_MAX_QUEUED_CHARS", d.maxQueuedChars()), d.closeGrace());
    }

    private static long number(String name, long dflt) {
        String v = System.getProperty(name, System.getenv(name));
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number: " + v);
        }
    }
}
