package dev.bourse.operator.roller;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;

import java.util.List;

/**
 * What the roller needs to know from the engines themselves (their internal API), beyond what Kubernetes shows.
 * The operator implements it with its engine client; a failure to ask is an {@link Unavailable}, never a guess:
 * the roller waits (up to its step timeout) rather than act on an answer it does not have.
 */
public interface ShardProbe {
    /**
     * The symbols shard {@code shard} (the pod with that ordinal) runs now; empty when it runs none. The roller drains
     * exactly these before it deletes the pod.
     */
    List<String> symbols(StatefulSet engine, int shard) throws Unavailable;

    /** True once the engine in {@code pod} reports it has recovered its state and sequences commands again. */
    boolean recovered(Pod pod) throws Unavailable;

    /** The engine could not be asked (not reachable, an error answer); the message says why. */
    final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;

        public Unavailable(String message) {
            super(message);
        }

        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
