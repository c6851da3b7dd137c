package dev.bourse.operator.assembly;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bourse.operator.model.Conditions;
import io.fabric8.kubernetes.api.model.Condition;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Small helpers the reconcilers share for writing status only when it changed and noticing condition flips. */
final class StatusSupport {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private StatusSupport() {
    }

    /** A deep copy through JSON (statuses are plain Jackson beans). */
    static <T> T copy(T status, Class<T> type) {
        return status == null ? null : MAPPER.convertValue(status, type);
    }

    /** Same JSON: nothing to write. */
    static boolean same(Object a, Object b) {
        return Objects.equals(MAPPER.valueToTree(a), MAPPER.valueToTree(b));
    }

    static String status(List<Condition> conditions, String type) {
        return Conditions.find(conditions, type).map(Condition::getStatus).orElse(null);
    }

    /** The condition is True now and was not True before. */
    static boolean becameTrue(List<Condition> before, List<Condition> after, String type) {
        return Conditions.TRUE.equals(status(after, type)) && !Conditions.TRUE.equals(status(before, type));
    }

    /** The condition's reason changed to {@code reason} (a new problem, worth one Event). */
    static boolean newReason(List<Condition> before, List<Condition> after, String type, String reason) {
        Optional<Condition> was = Conditions.find(before, type);
        Optional<Condition> now = Conditions.find(after, type);
        return now.isPresent() && reason.equals(now.get().getReason())
                && (was.isEmpty() || !reason.equals(was.get().getReason())
                || !Objects.equals(was.get().getMessage(), now.get().getMessage()));
    }

    static List<Condition> remove(List<Condition> conditions, String type) {
        return conditions == null ? new java.util.ArrayList<>() : new java.util.ArrayList<>(conditions.stream().filter(c -> !type.equals(c.getType())).toList());
    }
}
