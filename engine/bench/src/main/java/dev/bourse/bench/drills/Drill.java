package dev.bourse.bench.drills;

import dev.bourse.bench.cli.CliArgs.UsageException;

import java.io.PrintStream;
import java.util.Set;

/** One of the runbook's drills (§7): runs against a live Bourse and reports PASS or FAIL with evidence. */
public interface Drill {
    /** The drill's name as scripts and reports show it, e.g. {@code rate-limit-storm}. */
    String name();

    /** One line: what a PASS proves. */
    String proves();

    /** The drill's own options beyond the common ones ({@link DrillContext#COMMON_USAGE}), with a value. */
    default Set<String> options() {
        return Set.of();
    }

    /** Usage lines for {@link #options()}. */
    default String optionsUsage() {
        return "";
    }

    void run(DrillContext ctx, DrillReport report) throws Exception;

    /** Runs {@code drill} with {@code args}, printing to {@code out}; the report holds the verdict. */
    static DrillReport run(Drill drill, String[] args, PrintStream out) {
        DrillReport report = new DrillReport(drill.name(), out);
        try (DrillContext ctx = DrillContext.parse(drill, args)) {
            if (out != null) {
                out.println("drill " + drill.name() + " against " + ctx.url() + " (" + ctx.instId() + "): "
                        + drill.proves());
            }
            drill.run(ctx, report);
        } catch (UsageException e) {
            throw e;
        } catch (Exception e) {
            report.aborted(e);
        }
        if (out != null) {
            out.println(report.verdict());
        }
        return report;
    }

    /** The command line: prints the evidence and the verdict; exit 0 PASS, 1 FAIL, 2 bad options. */
    static void main(Drill drill, String[] args) {
        DrillReport r;
        try {
            r = run(drill, args, System.out);
        } catch (UsageException e) {
            if (!e.getMessage().isEmpty()) {
                System.err.println(drill.name() + ": " + e.getMessage());
            }
            System.err.println("usage: ops/drills/" + drill.name() + ".sh [options]\n  " + drill.proves() + "\n"
                    + DrillContext.COMMON_USAGE + drill.optionsUsage());
            System.exit(e.getMessage().isEmpty() ? 0 : 2);
            return;
        }
        System.exit(r.passed() ? 0 : 1);
    }
}
