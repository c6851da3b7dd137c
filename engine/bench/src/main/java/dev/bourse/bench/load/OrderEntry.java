package dev.bourse.bench.load;

import java.util.concurrent.CompletableFuture;

/** Sends a trader's requests to the exchange: over REST or as WebSocket order ops. Never completes exceptionally. */
interface OrderEntry {
    CompletableFuture<Answer> send(TraderOp op);
}
