package dev.bourse.operator.model;

import io.fabric8.kubernetes.api.model.Condition;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Kubernetes-style conditions ({@code type}, {@code status} True/False/Unknown, {@code reason}, {@code message},
 * {@code observedGeneration}, {@code lastTransitionTime}). {@code lastTransitionTime} changes only when the status
 * flips, so that a reconcile that finds nothing new does not rewrite the status.
 */
public final class Conditions {
    public static final String TRUE = "True";
    public static final String FALSE = "False";
    public static final String UNKNOWN = "Unknown";

    private Conditions() {
    }

    /** Sets (adds or replaces) condition {@code type} in {@code conditions}, returning the new list. */
    public static List<Condition> set(List<Condition> conditions, String type, String status, String reason,
                                      String message, Long observedGeneration) {
        List<Condition> out = new ArrayList<>(conditions == null ? List.of() : conditions);
        Condition previous = null;
        for (int i = 0; i < out.size(); i++) {
            if (type.equals(out.get(i).getType())) {
                previous = out.remove(i);
                break;
            }
        }
        Condition c = new Condition();
        c.setType(type);
        c.setStatus(status);
        c.setReason(reason);
        c.setMessage(message == null ? "" : message);
        c.setObservedGeneration(observedGeneration);
        c.setLastTransitionTime(previous != null && Objects.equals(previous.getStatus(), status)
                ? previous.getLastTransitionTime()
                : Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        out.add(c);
        out.sort((a, b) -> a.getType().compareTo(b.getType()));
        return out;
    }

    public static Optional<Condition> find(List<Condition> conditions, String type) {
        if (conditions == null) {
            return Optional.empty();
        }
        return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    /** True when {@code type} is True and was set for {@code generation} (what {@code kubectl wait} checks). */
    public static boolean isTrue(List<Condition> conditions, String type, long generation) {
        return find(conditions, type)
                .filter(c -> TRUE.equals(c.getStatus()))
                .filter(c -> c.getObservedGeneration() != null && c.getObservedGeneration() == generation)
                .isPresent();
    }
}
