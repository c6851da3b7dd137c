package dev.bourse.server.admin;

/**
 * One audit row: who did what to which target, the state before and after (JSON text, never secrets;
 * null where there was none) and the request id of the call that did it.
 */
public record AuditRecord(String actor, String action, String target, String before, String after,
                          String requestId) {
}
