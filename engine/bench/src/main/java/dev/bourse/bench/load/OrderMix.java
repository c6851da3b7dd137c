package dev.bourse.bench.load;

import dev.bourse.bench.cli.CliArgs.UsageException;
import dev.bourse.client.rest.trade.OrderType;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.random.RandomGenerator;

/**
 * A weighted choice of order types, written as OKX names with relative weights: {@code ioc=40,market=20,fok=10}.
 * Each {@link #pick} draws one type with probability weight / total.
 */
public final class OrderMix {
    private final OrderType[] types;
    private final int[] upTo;
    private final int total;

    private OrderMix(Map<OrderType, Integer> weights) {
        types = new OrderType[weights.size()];
        upTo = new int[weights.size()];
        int sum = 0;
        int i = 0;
        for (Map.Entry<OrderType, Integer> e : weights.entrySet()) {
            sum += e.getValue();
            types[i] = e.getKey();
            upTo[i] = sum;
            i++;
        }
        total = sum;
    }

    /** Parses {@code spec}; only {@code allowed} types may appear, each once, with a weight of 0..1000. */
    public static OrderMix parse(String option, String spec, Set<OrderType> allowed) {
        Map<OrderType, Integer> weights = new EnumMap<>(OrderType.class);
        for (String part : spec.split(",")) {
            String p = part.trim();
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw new UsageException("--" + option + " entries are type=weight (e.g. ioc=40): " + p);
            }
            String name = p.substring(0, eq).trim();
            OrderType type = allowed.stream().filter(t -> t.okx().equals(name)).findFirst().orElseThrow(() ->
                    new UsageException("--" + option + ": order type " + name + " is not one of "
                            + allowed.stream().map(OrderType::okx).sorted().toList()));
            int w;
            try {
                w = Integer.parseInt(p.substring(eq + 1).trim());
            } catch (NumberFormatException e) {
                throw new UsageException("--" + option + ": weight of " + name + " is not a whole number: " + p);
            }
            if (w < 0 || w > 1000) {
                throw new UsageException("--" + option + ": weight of " + name + " must be 0..1000: " + w);
            }
            if (weights.put(type, w) != null) {
                throw new UsageException("--" + option + ": " + name + " is given twice");
            }
        }
        weights.values().removeIf(w -> w == 0);
        if (weights.isEmpty()) {
            throw new UsageException("--" + option + " needs at least one type with a weight above 0: " + spec);
        }
        return new OrderMix(weights);
    }

    public OrderType pick(RandomGenerator random) {
        int r = random.nextInt(total);
        for (int i = 0; i < upTo.length; i++) {
            if (r < upTo[i]) {
                return types[i];
            }
        }
        throw new IllegalStateException("unreachable: " + r + " of " + total);
    }

    /** The share of {@code type} in the mix, 0..1. */
    public double share(OrderType type) {
        for (int i = 0; i < types.length; i++) {
            if (types[i] == type) {
                return (upTo[i] - (i == 0 ? 0 : upTo[i - 1])) / (double) total;
            }
        }
        return 0;
    }

    @Override
    public String toString() {
        StringJoiner j = new StringJoiner(",");
        for (int i = 0; i < types.length; i++) {
            j.add(types[i].okx() + "=" + (upTo[i] - (i == 0 ? 0 : upTo[i - 1])));
        }
        return j.toString();
    }
}
