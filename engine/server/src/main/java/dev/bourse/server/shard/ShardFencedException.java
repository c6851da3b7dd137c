package dev.bourse.server.shard;

/** This process no longer owns the shard: another owner took the lease (a higher epoch). */
public final class ShardFencedException extends Exception {
    public ShardFencedException(String message) {
        super(message);
    }
}
