package dev.bourse.client.ws;

import com.fasterxml.jackson.databind.JsonNode;

/** A text frame as received (every JSON message: pushes, events and op replies), with its receive counter. */
public record RawMessage(String text, JsonNode json, long recvSeq) {
}
