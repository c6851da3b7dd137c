/**
 * Ledger reconciliation runs: a {@code LedgerReconciliation} becomes one Kubernetes Job running the engine image's
 * {@code reconcile} command; its exit code and one-line summary (the pod's termination message) become the run's
 * status. Anomalies are P0: the run turns on the global {@code p0-ledger-anomaly} pause switch, which only a person
 * removes.
 */
package dev.bourse.operator.reconciliation;
