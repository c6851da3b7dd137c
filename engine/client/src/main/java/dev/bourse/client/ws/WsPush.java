package dev.bourse.client.ws;

import java.util.List;

/**
 * One data push read into typed records.
 *
 * @param arg       the channel and instrument (as the server echoes them)
 * @param action    {@code snapshot} or {@code update} on {@code books}; null on channels without one
 * @param eventType {@code snapshot} or {@code event} on {@code account}; null elsewhere
 * @param data      the items
 * @param recvSeq   this client's receive counter for the frame: frames are numbered in arrival order across
 *                  reconnects, so a push can be ordered against an acknowledgement ({@link SubscribeAck#recvSeq()})
 */
public record WsPush<T>(ChannelArg arg, String action, String eventType, List<T> data, long recvSeq) {
    public WsPush {
        data = List.copyOf(data);
    }

    public String channel() {
        return arg.channel();
    }

    public String instId() {
        return arg.instId();
    }

    public boolean isSnapshot() {
        return "snapshot".equals(action);
    }
}
