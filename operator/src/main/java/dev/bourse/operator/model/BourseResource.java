package dev.bourse.operator.model;

/** Names shared by every Bourse custom resource. */
public final class BourseResource {
    public static final String GROUP = "trading.bourse.dev";
    public static final String VERSION = "v1";
    /** Label and annotation prefix of everything the operator creates or reads. */
    public static final String PREFIX = "trading.bourse.dev/";

    private BourseResource() {
    }
}
