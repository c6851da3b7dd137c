package dev.bourse.server.events;

import java.util.List;

/** The events of one committed batch of a shard, in the order the engine produced them. */
public record BatchEvents(int shardId, long firstSeq, long lastSeq, List<EngineEvent> events) {
}
