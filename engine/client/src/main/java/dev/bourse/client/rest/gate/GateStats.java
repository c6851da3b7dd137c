package dev.bourse.client.rest.gate;

/**
 * Counters of the {@link RequestGate}, cheap to poll for metrics.
 *
 * @param inFlight      requests holding a slot now
 * @param waiting       callers waiting in the gate now
 * @param passed        requests let through so far
 * @param waited        of those, how many had to wait
 * @param rejected      callers turned away (deadline, cancellation, interruption, a cost larger than its budget)
 * @param backoffs      rate-limit answers that paused a route or the whole client
 * @param pausedRoutes  budget keys paused now (a global pause counts as one)
 */
public record GateStats(int inFlight, int waiting, long passed, long waited, long rejected, long backoffs,
                        int pausedRoutes) {
}
