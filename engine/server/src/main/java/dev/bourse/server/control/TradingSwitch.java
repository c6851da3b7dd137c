package dev.bourse.server.control;

/**
 * A switch as stored: its name (the TradingSwitch resource's name, or one an operator chose), its
 * definition, the control plane's generation that wrote it (0 from the admin API), the board version
 * at which it last changed, and who changed it when.
 */
public record TradingSwitch(String name, SwitchSpec spec, long generation, long version, long updatedAtMillis,
                            String actor) {
}
