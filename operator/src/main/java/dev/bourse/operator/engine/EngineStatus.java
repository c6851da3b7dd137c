package dev.bourse.operator.engine;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one engine pod reports on {@code GET /internal/v1/status} (docs/control-plane.md).
 *
 * @param symbolStates {@code live}, {@code cancel_only} or {@code suspend} per symbol the shard has loaded (empty on
 *                     engines that do not report it yet)
 */
public record EngineStatus(int shardId, long epoch, boolean recovered, boolean ready, boolean fenced, int queueLength,
                           int batchesInFlight, long lastCommittedSeq, long switchVersion, long appliedSwitchVersion,
                           long appliedAfterSeq, boolean drainRequested, boolean drained,
                           List<ActiveSwitch> activeSwitches, List<String> symbols, Map<String, String> symbolStates) {

    public EngineStatus {
        activeSwitches = List.copyOf(activeSwitches);
        symbols = List.copyOf(symbols);
        symbolStates = Map.copyOf(symbolStates);
    }

    /** A switch the pod enforces, with the board version it was written at and the operator's generation. */
    public record ActiveSwitch(String name, String mode, long version, long generation) {
    }

    public static EngineStatus fromJson(JsonNode d) {
        List<ActiveSwitch> active = new ArrayList<>();
        d.path("activeSwitches").forEach(a -> active.add(new ActiveSwitch(a.path("name").asText(),
                a.path("mode").asText(), a.path("version").asLong(), a.path("generation").asLong())));
        List<String> symbols = new ArrayList<>();
        d.path("symbols").forEach(s -> symbols.add(s.asText()));
        Map<String, String> states = new LinkedHashMap<>();
        d.path("symbolStates").properties().forEach(e -> states.put(e.getKey(), e.getValue().asText()));
        return new EngineStatus(d.path("shardId").asInt(-1), d.path("epoch").asLong(), d.path("recovered").asBoolean(),
                d.path("ready").asBoolean(), d.path("fenced").asBoolean(), d.path("queueLength").asInt(),
                d.path("batchesInFlight").asInt(), d.path("lastCommittedSeq").asLong(), d.path("switchVersion").asLong(),
                d.path("appliedSwitchVersion").asLong(-1), d.path("appliedAfterSeq").asLong(-1),
                d.path("drainRequested").asBoolean(), d.path("drained").asBoolean(), active, symbols, states);
    }

    /** Nothing waits in the shard's queue and no batch is being written. */
    public boolean idle() {
        return queueLength == 0 && batchesInFlight == 0;
    }

    /** The pod has finished recovery, holds its lease and is not fenced. */
    public boolean serving() {
        return recovered && ready && !fenced;
    }

    /** Whether the shard has {@code instId} in memory. */
    public boolean hasLoaded(String instId) {
        return symbols.contains(instId) || symbolStates.containsKey(instId);
    }
}
