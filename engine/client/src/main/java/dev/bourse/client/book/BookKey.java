package dev.bourse.client.book;

import java.util.Objects;

/** A book channel ({@code books}, {@code books5}, {@code bbo-tbt} …) of one instrument. */
public record BookKey(String channel, String instId) {
    public BookKey {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(instId, "instId");
    }

    @Override
    public String toString() {
        return channel + ":" + instId;
    }
}
