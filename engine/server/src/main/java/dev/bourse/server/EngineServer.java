package dev.bourse.server;

import dev.bourse.server.config.EngineConfig;

/** The engine process. */
public final class EngineServer {
    private EngineServer() {
    }

    public static void start(EngineConfig config) {
        throw new UnsupportedOperationException("engine server under construction");
    }
}
