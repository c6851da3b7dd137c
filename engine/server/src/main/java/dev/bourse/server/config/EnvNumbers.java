package dev.bourse.server.config;

import java.util.List;
import java.util.function.Function;

/** Whole-number settings read from the environment, with the problem lines the pre-flight reports. */
public final class EnvNumbers {
    private EnvNumbers() {
    }

    /**
     * {@code name} from {@code env}, {@code dflt} when unset or blank; a value that is not an integer or lies
     * outside {@code min..max} adds one line to {@code problems} (and answers {@code dflt}).
     */
    public static long number(Function<String, String> env, String name, long dflt, long min, long max,
                              List<String> problems) {
        String v = env.apply(name);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            long n = Long.parseLong(v.trim());
            if (n < min || n > max) {
                problems.add(name + " must be between " + min + " and " + max + ": " + v.trim());
                return dflt;
            }
            return n;
        } catch (NumberFormatException e) {
            problems.add(name + " must be an integer: " + v.trim());
            return dflt;
        }
    }
}
