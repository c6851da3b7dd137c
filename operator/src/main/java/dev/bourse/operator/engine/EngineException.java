package dev.bourse.operator.engine;

/** An engine pod could not be asked (connection refused, timeout, not JSON): worth retrying. */
public class EngineException extends RuntimeException {
    private final String pod;

    public EngineException(String pod, String message, Throwable cause) {
        super(message, cause);
        this.pod = pod;
    }

    /** The pod (or address) that was asked. */
    public String pod() {
        return pod;
    }
}
