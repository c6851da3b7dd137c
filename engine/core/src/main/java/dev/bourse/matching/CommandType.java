package dev.bourse.matching;

public enum CommandType {
    PLACE, CANCEL, AMEND, MASS_CANCEL, SET_SYMBOL_STATE
}
