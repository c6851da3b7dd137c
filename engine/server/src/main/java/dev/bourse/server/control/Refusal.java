package dev.bourse.server.control;

/**
 * Why the switches refuse a command: OKX code and message for the trader, and a short reason tag for
 * the reject metrics ({@code switch_paused}, {@code switch_cancel_only}, {@code switch_read_only},
 * {@code frozen}, {@code order_type_disabled}).
 */
public record Refusal(String code, String msg, String reason, String switchName) {
}
