package dev.bourse.operator.chart;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;

import java.math.BigDecimal;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Lookups in rendered pod templates. */
final class Pods {
    private static final Pattern XMX = Pattern.compile("-Xmx(\\d+)([kKmMgG]?)(?:\\s|$)");

    private Pods() {
    }

    static Container container(PodSpec spec, String name) {
        return spec.getContainers().stream().filter(c -> name.equals(c.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no container " + name));
    }

    static EnvVar env(Container c, String name) {
        return c.getEnv().stream().filter(e -> name.equals(e.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("container " + c.getName() + " has no env " + name + "; has "
                        + c.getEnv().stream().map(EnvVar::getName).toList()));
    }

    static boolean hasEnv(Container c, String name) {
        return c.getEnv().stream().anyMatch(e -> name.equals(e.getName()));
    }

    /** The heap limit in bytes of a JVM option string, or -1 without -Xmx. */
    static long xmxBytes(String javaOpts) {
        Matcher m = XMX.matcher(javaOpts);
        if (!m.find()) {
            return -1;
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2).toLowerCase()) {
            case "k" -> n << 10;
            case "m" -> n << 20;
            case "g" -> n << 30;
            default -> n;
        };
    }

    /** True when every label of {@code selector} is on {@code labels}. */
    static boolean selects(Map<String, String> selector, Map<String, String> labels) {
        return !selector.isEmpty() && selector.entrySet().stream()
                .allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    static BigDecimal bytes(Quantity q) {
        return Quantity.getAmountInBytes(q);
    }
}
