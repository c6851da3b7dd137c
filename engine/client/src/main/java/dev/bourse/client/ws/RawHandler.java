package dev.bourse.client.ws;

/** Receives every JSON text frame. An exception it throws is counted and kept as the last error. */
@FunctionalInterface
public interface RawHandler {
    void onMessage(RawMessage message) throws Exception;
}
