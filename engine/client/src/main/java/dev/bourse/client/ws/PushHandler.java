package dev.bourse.client.ws;

/** Receives the typed pushes of one channel. An exception it throws is counted and kept as the last error. */
@FunctionalInterface
public interface PushHandler<T> {
    void onPush(WsPush<T> push) throws Exception;
}
