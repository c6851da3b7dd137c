package dev.bourse.server.http;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Request ids: 16 hex characters, answered as {@code x-request-id} and written to the log lines (and
 * audit rows) of the request. Unique enough to find one request in a day of logs; not a secret.
 */
public final class RequestIds {
    private RequestIds() {
    }

    public static String next() {
        byte[] b = new byte[8];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
