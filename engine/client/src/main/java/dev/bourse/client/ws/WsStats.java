package dev.bourse.client.ws;

import java.time.Instant;

/**
 * A point-in-time view of an {@link OkxWebSocket} for logs and metrics (the runbook's {@code ws.Stats()}).
 *
 * @param connected       a socket is open (and, on a private client, logged in)
 * @param lastRecv        when the last frame arrived (null: never)
 * @param lastPing        when the last {@code ping} was sent
 * @param lastPong        when the last {@code pong} arrived
 * @param reconnects      connection attempts after the first one (each lost connection counts once)
 * @param lastError       the latest problem: lost connection, pong timeout, error event, handler failure …
 * @param subscribeOk     subscribe acknowledgements received (resubscriptions included)
 * @param subscribeError  subscribe/unsubscribe requests answered with an error event
 * @param typedQueueLen   messages waiting for typed handlers ({@code typedQueueCap} 0: inline)
 * @param rawQueueLen     messages waiting for raw handlers ({@code rawQueueCap} 0: inline)
 * @param typedDropped    messages typed handlers never saw (queue full under DROP/DISCONNECT)
 * @param handlerErrors   exceptions thrown by handlers or while reading a push into records
 * @param pendingOps      order ops sent and not answered yet
 * @param subscriptions   channel arguments the client keeps subscribed
 */
public record WsStats(boolean connected, Instant lastRecv, Instant lastPing, Instant lastPong, long reconnects,
                      String lastError, Instant lastErrorAt, long subscribeOk, long subscribeError, int typedQueueLen,
                      int typedQueueCap, int rawQueueLen, int rawQueueCap, long typedDropped, long rawDropped,
                      long handlerErrors, int pendingOps, int subscriptions) {
}
