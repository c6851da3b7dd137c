package dev.bourse.operator.harness;

import dev.bourse.operator.model.Conditions;
import dev.bourse.operator.model.LedgerReconciliation;
import dev.bourse.operator.model.TradingSwitch;
import dev.bourse.operator.reconciliation.RunController;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * What happened in the mock cluster, in the order it was seen: the operator's TradingSwitches and
 * LedgerReconciliations (from watches) and whatever the test's stand-in controllers add ({@link EngineKubelet}).
 * Entries:
 * <ul>
 *   <li>{@code switch+ NAME}, {@code switch- NAME}: a TradingSwitch created, gone (finalizer removed);</li>
 *   <li>{@code drained NAME}, {@code applied NAME}: its {@code Drained} / {@code Applied} condition first turned True
 *       for its current generation (once per switch object);</li>
 *   <li>{@code run+ NAME}, {@code run Succeeded NAME}, {@code run Failed NAME}: a LedgerReconciliation created, and its
 *       final phase.</li>
 * </ul>
 */
public final class Timeline implements AutoCloseable {
    private final List<String> entries = new CopyOnWriteArrayList<>();
    private final Set<String> once = ConcurrentHashMap.newKeySet();
    private final List<Watch> watches = new ArrayList<>();

    private Timeline() {
    }

    /** Starts watching switches and runs in {@code namespace}. */
    static Timeline record(KubernetesClient client, String namespace) {
        Timeline t = new Timeline();
        t.watches.add(client.resources(TradingSwitch.class).inNamespace(namespace).watch(new Events<>((action, sw) -> {
            String name = sw.getMetadata().getName();
            switch (action) {
                case ADDED -> t.add("switch+ " + name);
                case DELETED -> t.add("switch- " + name);
                default -> { }
            }
            long generation = sw.getMetadata().getGeneration() == null ? 0 : sw.getMetadata().getGeneration();
            if (sw.getStatus() != null && action != Watcher.Action.DELETED) {
                for (String type : List.of(TradingSwitch.APPLIED, TradingSwitch.DRAINED)) {
                    if (Conditions.isTrue(sw.getStatus().conditions, type, generation)
                            && t.once.add(type + "/" + sw.getMetadata().getUid())) {
                        t.add(type.toLowerCase(java.util.Locale.ROOT) + " " + name);
                    }
                }
            }
        })));
        t.watches.add(client.resources(LedgerReconciliation.class).inNamespace(namespace).watch(new Events<>((action, r) -> {
            String name = r.getMetadata().getName();
            if (action == Watcher.Action.ADDED) {
                t.add("run+ " + name);
            }
            String phase = r.getStatus() == null ? null : r.getStatus().phase;
            if ((RunController.SUCCEEDED.equals(phase) || RunController.FAILED.equals(phase))
                    && t.once.add("run/" + r.getMetadata().getUid())) {
                t.add("run " + phase + " " + name);
            }
        })));
        return t;
    }

    /** Adds an entry (stand-in controllers: what they did, when they did it). */
    public void add(String entry) {
        entries.add(entry);
    }

    /** Everything so far, in order. */
    public List<String> entries() {
        return List.copyOf(entries);
    }

    /** Entries from index {@code from} on (e.g. {@code entries().size()} taken before a rollout). */
    public List<String> since(int from) {
        List<String> all = entries();
        return all.subList(Math.min(from, all.size()), all.size());
    }

    @Override
    public void close() {
        watches.forEach(Watch::close);
    }

    @Override
    public String toString() {
        return String.join("\n", entries);
    }

    /** Hands watch events to a callback. */
    private record Events<T>(BiConsumer<Watcher.Action, T> onEvent) implements Watcher<T> {
        @Override
        public void eventReceived(Action action, T resource) {
            onEvent.accept(action, resource);
        }

        @Override
        public void onClose(WatcherException cause) {
        }
    }
}
