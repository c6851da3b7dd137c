package dev.bourse.operator.roller;

/** The step the rollout of one pod is in ({@code trading.bourse.dev/rollout-phase}). */
public enum RolloutPhase {
    /** The pod's shard is being drained: its drain switch exists, waiting for {@code Drained=True}. */
    Draining,
    /** The pod was (or is about to be) deleted; waiting for it to return at the new revision, Ready and recovered. */
    Restarting,
    /** A LedgerReconciliation checks the ledger while the shard is still drained; waiting for it to succeed. */
    Reconciling,
    /** The drain switch is removed: the shard trades again. Then the next pod, or Done. */
    Resuming,
    /** Every pod runs the StatefulSet's update revision. */
    Done,
    /** Stopped by a failure or a timeout; nothing happens until a person clears the phase annotation. */
    Blocked
}
