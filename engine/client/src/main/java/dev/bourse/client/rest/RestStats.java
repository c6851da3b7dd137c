package dev.bourse.client.rest;

import dev.bourse.client.rest.gate.GateStats;

/**
 * Counters of a client's REST traffic.
 *
 * @param calls        calls started (one per {@code execute})
 * @param attempts     requests handed to HTTP (calls plus retries that got past the gate)
 * @param retries      retries of GETs
 * @param apiErrors    calls that ended in an {@code ApiException}
 * @param notSent      calls that ended in a {@code RequestStateException} with dispatched=false
 * @param unknown      calls that ended in a {@code RequestStateException} with dispatched=true (outcome unknown)
 * @param rateLimited  answers that were rate-limit errors (HTTP 429, 50011, 50061), retried ones included
 * @param gate         the request gate's counters
 */
public record RestStats(long calls, long attempts, long retries, long apiErrors, long notSent, long unknown,
                        long rateLimited, GateStats gate) {
}
