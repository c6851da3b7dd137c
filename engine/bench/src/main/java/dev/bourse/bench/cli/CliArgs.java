package dev.bourse.bench.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code --name value}, {@code --name=value} and bare {@code --flag} options of the bench command lines. Every
 * option must be declared (a typo fails instead of being ignored); values are read with typed getters that name the
 * option in their error. Bad input throws {@link UsageException}.
 */
public final class CliArgs {
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m)");

    private final Map<String, List<String>> values = new LinkedHashMap<>();
    private final Set<String> flags = new LinkedHashSet<>();

    private CliArgs() {
    }

    /**
     * Parses {@code args}; {@code valued} are options that take a value, {@code flagNames} those that do not. A
     * repeated valued option keeps every value ({@link #all}).
     */
    public static CliArgs parse(String[] args, Set<String> valued, Set<String> flagNames) {
        CliArgs a = new CliArgs();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new UsageException("unexpected argument: " + arg);
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (flagNames.contains(name)) {
                if (value != null) {
                    throw new UsageException("--" + name + " takes no value");
                }
                a.flags.add(name);
            } else if (valued.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.length) {
                        throw new UsageException("--" + name + " needs a value");
                    }
                    value = args[++i];
                }
                a.values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            } else {
                throw new UsageException("unknown option --" + name);
            }
        }
        return a;
    }

    public boolean flag(String name) {
        return flags.contains(name);
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** The last value given for {@code name}, else {@code def}. */
    public String string(String name, String def) {
        List<String> v = values.get(name);
        return v == null ? def : v.getLast();
    }

    /** Every value given for {@code name}, in order, each split at commas. */
    public List<String> all(String name) {
        List<String> out = new ArrayList<>();
        for (String v : values.getOrDefault(name, List.of())) {
            for (String part : v.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
        }
        return out;
    }

    public int integer(String name, int def, int min, int max) {
        String v = string(name, null);
        if (v == null) {
            return def;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n < min || n > max) {
                throw new UsageException("--" + name + " must be between " + min + " and " + max + ": " + v);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a whole number: " + v);
        }
    }

    public double decimal(String name, double def, double min, double max) {
        String v = string(name, null);
        if (v == null) {
            return def;
        }
        try {
            double d = Double.parseDouble(v.trim());
            if (!(d >= min && d <= max)) {
                throw new UsageException("--" + name + " must be between " + min + " and " + max + ": " + v);
            }
            return d;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a number: " + v);
        }
    }

    /** A duration written {@code 500ms}, {@code 30s} or {@code 2m}. */
    public Duration duration(String name, Duration def) {
        String v = string(name, null);
        return v == null ? def : parseDuration(name, v);
    }

    public static Duration parseDuration(String name, String v) {
        Matcher m = DURATION.matcher(v.trim());
        if (!m.matches()) {
            throw new UsageException("--" + name + " must be a duration such as 500ms, 30s or 2m: " + v);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            default -> Duration.ofMinutes(n);
        };
    }

    /** Bad command line: the message says what and is printed with the usage text. */
    public static final class UsageException extends IllegalArgumentException {
        public UsageException(String message) {
            super(message);
        }
    }
}
