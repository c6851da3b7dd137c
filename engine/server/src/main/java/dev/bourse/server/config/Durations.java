package dev.bourse.server.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as operators write them in environment variables: one or more {@code <integer><unit>}
 * parts with units {@code ms}, {@code s}, {@code m}, {@code h}, {@code d} ({@code 14d}, {@code 36h},
 * {@code 1h30m}, {@code 250ms}), or ISO-8601 ({@code P14D}, {@code PT36H}). A bare number is refused:
 * whether {@code 30} meant seconds or minutes is exactly the mistake this guards against.
 */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

    private Durations() {
    }

    /** The duration, or null when {@code text} is not one of the accepted forms (or is zero or negative). */
    public static Duration parse(String text) {
        if (text == null) {
            return null;
        }
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.isEmpty() || t.length() > 40) {
            return null;
        }
        Duration d;
        if (t.startsWith("p")) {
            try {
                d = Duration.parse(t.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                return null;
            }
        } else {
            Matcher m = PART.matcher(t);
            d = Duration.ZERO;
            int end = 0;
            while (m.find() && m.start() == end) {
                long n = Long.parseLong(m.group(1));
                d = d.plus(switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                });
                end = m.end();
            }
            if (end != t.length()) {
                return null;
            }
        }
        return d.isNegative() || d.isZero() ? null : d;
    }

    /** Compact form for messages and logs: {@code 14d}, {@code 36h}, {@code 1h30m}, {@code 250ms}. */
    public static String format(Duration d) {
        StringBuilder sb = new StringBuilder();
        long days = d.toDays();
        if (days > 0) {
            sb.append(days).append('d');
        }
        if (d.toHoursPart() > 0) {
            sb.append(d.toHoursPart()).append('h');
        }
        if (d.toMinutesPart() > 0) {
            sb.append(d.toMinutesPart()).append('m');
        }
        if (d.toSecondsPart() > 0) {
            sb.append(d.toSecondsPart()).append('s');
        }
        if (d.toMillisPart() > 0) {
            sb.append(d.toMillisPart()).append("ms");
        }
        return sb.isEmpty() ? "0s" : sb.toString();
    }
}
