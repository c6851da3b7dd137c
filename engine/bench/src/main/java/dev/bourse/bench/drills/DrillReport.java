package dev.bourse.bench.drills;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a drill observed and whether each of its checks held. Evidence lines are printed as they come (so a slow
 * drill shows where it is); the verdict is {@code PASS <drill>} when every check held, else {@code FAIL <drill>}.
 */
public final class DrillReport {
    private final String drill;
    private final PrintStream out;
    private final List<String> lines = new ArrayList<>();
    private boolean passed = true;
    private int checks;

    public DrillReport(String drill, PrintStream out) {
        this.drill = drill;
        this.out = out;
    }

    /** An evidence line ({@link String#format} with the root locale). */
    public void evidence(String format, Object... args) {
        line("  " + String.format(Locale.ROOT, format, args));
    }

    /** Records one check; returns {@code ok}. */
    public boolean check(boolean ok, String format, Object... args) {
        checks++;
        if (!ok) {
            passed = false;
        }
        line("  " + (ok ? "[ok]     " : "[FAILED] ") + String.format(Locale.ROOT, format, args));
        return ok;
    }

    /** The drill could not finish: a failed check with the reason. */
    public void aborted(Throwable e) {
        passed = false;
        line("  [FAILED] drill aborted: " + e);
    }

    private void line(String s) {
        lines.add(s);
        if (out != null) {
            out.println(s);
            out.flush();
        }
    }

    public boolean passed() {
        return passed && checks > 0;
    }

    public String verdict() {
        return (passed() ? "PASS " : "FAIL ") + drill;
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    public String drill() {
        return drill;
    }

    @Override
    public String toString() {
        return String.join("\n", lines) + "\n" + verdict();
    }
}
