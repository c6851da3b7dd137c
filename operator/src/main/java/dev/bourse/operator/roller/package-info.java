/**
 * Safe rollout of the engine StatefulSet ({@code updateStrategy: OnDelete}), in the spirit of Strimzi's KafkaRoller:
 * one pod at a time, highest ordinal first — drain its shard, delete it, wait until it is back at the new revision,
 * Ready and recovered, reconcile the ledger, resume. The state machine lives in {@code trading.bourse.dev/rollout-*}
 * annotations on the StatefulSet, so an operator restart resumes where it was; any failure or timeout stops the
 * rollout ({@code Blocked}) until a person clears it.
 */
package dev.bourse.operator.roller;
