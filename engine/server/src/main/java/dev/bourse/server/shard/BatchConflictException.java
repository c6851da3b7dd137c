package dev.bourse.server.shard;

/**
 * The batch cannot commit as computed because of another writer (funds spent by another shard, a
 * clOrdId taken concurrently, a deadlock or serialization failure). The batch is rolled back and
 * computed again from the committed state.
 */
final class BatchConflictException extends Exception {
    BatchConflictException(String message, Throwable cause) {
        super(message, cause);
    }
}
