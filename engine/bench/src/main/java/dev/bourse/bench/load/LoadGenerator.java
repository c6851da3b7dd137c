package dev.bourse.bench.load;

import dev.bourse.bench.cli.CliArgs.UsageException;

/**
 * The load generator's command line: {@code engine/bench/load.sh [options]} ({@link LoadOptions#USAGE}). Progress
 * goes to stderr; stdout gets one summary line and the path of the HTML report. Exit 0 after a run (whatever it
 * measured), 1 when it could not run, 2 on bad options.
 */
public final class LoadGenerator {
    private LoadGenerator() {
    }

    public static void main(String[] args) {
        LoadOptions o;
        try {
            o = LoadOptions.parse(args);
        } catch (UsageException e) {
            if (!e.getMessage().isEmpty()) {
                System.err.println("load: " + e.getMessage());
            }
            System.err.print(LoadOptions.USAGE);
            System.exit(e.getMessage().isEmpty() ? 0 : 2);
            return;
        }
        try {
            LoadRun.Result r = new LoadRun(o, System.err).run();
            System.out.println(r.report().summary());
            System.out.println("report: " + r.html().toAbsolutePath());
            System.exit(0);
        } catch (Exception e) {
            System.err.println("load: failed: " + e.getMessage());
            e.printStackTrace(System.err);
            System.exit(1);
        }
    }
}
