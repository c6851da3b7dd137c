package dev.bourse.operator.model;

import com.fasterxml.jackson.annotation.JsonValue;

/** The trading state an operator wants for a symbol, and its name on the engine's internal API. */
public enum SymbolState {
    Trading("live"),
    CancelOnly("cancel_only"),
    Halted("suspend");

    private final String engineName;

    SymbolState(String engineName) {
        this.engineName = engineName;
    }

    /** {@code live}, {@code cancel_only} or {@code suspend}, as the engine names it. */
    public String engineName() {
        return engineName;
    }

    @JsonValue
    public String wireName() {
        return name();
    }

    public static SymbolState fromEngine(String engineName) {
        for (SymbolState s : values()) {
            if (s.engineName.equals(engineName)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown engine symbol state " + engineName);
    }
}
