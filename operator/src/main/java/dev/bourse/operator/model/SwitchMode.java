package dev.bourse.operator.model;

/** What a switch lets through; the engine's wire name is lower snake case ({@code pause_orders}). */
public enum SwitchMode {
    /** No restriction from the mode (the switch may still halt withdrawals, tighten bands...). */
    Normal("normal"),
    /** No new orders; amend and cancel allowed. */
    PauseOrders("pause_orders"),
    /** Only cancels. */
    CancelOnly("cancel_only"),
    /** Queries only. */
    ReadOnly("read_only");

    private final String engineName;

    SwitchMode(String engineName) {
        this.engineName = engineName;
    }

    public String engineName() {
        return engineName;
    }
}
