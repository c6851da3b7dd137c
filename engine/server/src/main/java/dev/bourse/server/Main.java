package dev.bourse.server;

import dev.bourse.server.auth.AuthConfig;
import dev.bourse.server.config.Preflight;
import dev.bourse.server.ratelimit.RateLimitRules;
import dev.bourse.server.ws.WsSettings;
import dev.bourse.server.config.ConfigException;
import dev.bourse.server.config.EngineConfig;
import dev.bourse.server.reconcile.ReconcileCommand;
import dev.bourse.server.store.Database;

import java.util.Arrays;

/**
 * {@code java -jar exchange-engine-server.jar [run|migrate|reconcile] ...}. One jar for the engine
 * process, the schema migration job and the reconciliation job.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        String command = args.length == 0 ? "run" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        int code;
        try {
            code = switch (command) {
                case "run" -> run(Preflight.fromEnvironment(AuthConfig::fromEnvironment,
                        RateLimitRules::fromEnvironment, env -> WsSettings.fromEnvironment()));
                case "migrate" -> migrate(EngineConfig.forJobsFromEnvironment());
                case "reconcile" -> ReconcileCommand.run(EngineConfig.forJobsFromEnvironment(), rest);
                case "help", "--help", "-h" -> {
                    usage();
                    yield 0;
                }
                default -> {
                    System.err.println("unknown command: " + command);
                    usage();
                    yield 2;
                }
            };
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            code = 2;
        }
        if (code >= 0) {
            System.exit(code);
        }
    }

    /**
     * Starts the engine and returns -1 to keep it running until stopped, or 1 when it could not start (it has
     * stopped what it had started). The exit is explicit: an exception escaping main would print a stack trace
     * instead of the one line, and leave exiting to whatever non-daemon threads remain.
     */
    private static int run(EngineConfig config) {
        try {
            EngineServer.start(config);
            return -1;
        } catch (EngineServer.StartFailure e) {
            System.err.println(e.getMessage());
            return 1;
        }
    }

    private static int migrate(EngineConfig config) {
        try (Database db = Database.open(config.dbUrl(), config.dbUser(), config.dbPassword(), 2, config.dbSslMode())) {
            var result = db.migrate();
            System.out.println("schema_migrations: version " + result.targetSchemaVersion + ", "
                    + result.migrationsExecuted + " migration(s) applied");
            return 0;
        } catch (RuntimeException e) {
            System.err.println("migration failed: " + e.getMessage());
            return 1;
        }
    }

    private static void usage() {
        System.err.println("""
                usage: java -jar exchange-engine-server.jar [command]
                  run                     start the engine (default)
                  migrate                 apply database migrations (history in schema_migrations) and exit
                  reconcile [--json] [--summary-file PATH]
                                          check the ledger; exit 0 if clean, 1 on any anomaly, 2 on error;
                                          PATH gets a one-line JSON outcome (e.g. /dev/termination-log)
                configuration comes from environment variables; see docs/server.md""");
    }
}
