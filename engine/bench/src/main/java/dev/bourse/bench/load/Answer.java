package dev.bourse.bench.load;

/**
 * How the exchange answered one request: accepted (with the order id), refused ({@code code}/{@code msg}: the item's
 * sCode and sMsg, or the envelope's code) or no answer ({@code failure} says what kind).
 */
record Answer(Outcome outcome, String ordId, String code, String msg, String failure) {
    enum Outcome { ACCEPTED, REJECTED, FAILED }

    static Answer accepted(String ordId) {
        return new Answer(Outcome.ACCEPTED, ordId, "0", "", null);
    }

    static Answer rejected(String code, String msg) {
        return new Answer(Outcome.REJECTED, null, code == null ? "?" : code, msg == null ? "" : msg, null);
    }

    static Answer failed(String kind) {
        return new Answer(Outcome.FAILED, null, null, null, kind);
    }

    /**
     * A refusal that says the order is not live any more (filled, canceled, unknown: 51xxx) rather than that the
     * exchange was busy or limiting (50xxx), after which the order may well still rest.
     */
    boolean orderGone() {
        return outcome == Outcome.REJECTED && code.startsWith("51");
    }
}
