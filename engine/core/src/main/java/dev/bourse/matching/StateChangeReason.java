package dev.bourse.matching;

/** Why a symbol's trading state changed. */
public enum StateChangeReason {
    /** An operator or the control plane asked for it. */
    OPERATOR,
    /** The circuit breaker tripped. */
    CIRCUIT_BREAKER
}
