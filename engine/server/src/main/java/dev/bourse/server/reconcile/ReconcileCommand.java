package dev.bourse.server.reconcile;

import dev.bourse.server.config.EngineConfig;

/** The {@code reconcile} command of the engine jar. */
public final class ReconcileCommand {
    private ReconcileCommand() {
    }

    /** Returns the process exit code: 0 clean, 1 anomalies found, 2 could not run. */
    public static int run(EngineConfig config, String[] args) {
        System.err.println("reconcile: not built yet");
        return 2;
    }
}
