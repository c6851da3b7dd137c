package dev.bourse.client;

/**
 * One {@code syncTime()} measurement (all epoch ms): the server said {@code serverMillis}; the request left at
 * {@code sentMillis} and the answer arrived at {@code receivedMillis} by the local clock. {@code offsetMillis} =
 * server time − the round trip's midpoint; the error is at most half the round trip.
 */
public record TimeSync(long serverMillis, long sentMillis, long receivedMillis, long offsetMillis) {
    public long roundTripMillis() {
        return receivedMillis - sentMillis;
    }
}
