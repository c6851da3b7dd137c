package dev.bourse.operator.engine;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An engine pod answered and refused the request (OKX envelope with a non-zero {@code code}, or an HTTP error): the
 * request is wrong for the engine's current state, retrying the same request will not help until something changes.
 */
public final class EngineRefusedException extends EngineException {
    private final int httpStatus;
    private final String code;
    private final String engineMessage;
    private final JsonNode data;

    public EngineRefusedException(String pod, int httpStatus, String code, String engineMessage, JsonNode data) {
        super(pod, "engine " + pod + " refused (HTTP " + httpStatus + ", code " + code + "): " + engineMessage, null);
        this.httpStatus = httpStatus;
        this.code = code;
        this.engineMessage = engineMessage;
        this.data = data;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String code() {
        return code;
    }

    /** The engine's {@code msg} (or the item's {@code sMsg}). */
    public String engineMessage() {
        return engineMessage;
    }

    /** {@code data} of the envelope, possibly empty. */
    public JsonNode data() {
        return data;
    }
}
