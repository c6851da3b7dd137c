package dev.bourse.client.ws;

import java.util.List;

/**
 * A subscribe or unsubscribe was refused ({@code {"event":"error","code":"60018",…}}) or not answered in time
 * ({@code code} is null then). A refused argument is not resubscribed after a reconnect.
 */
public class SubscribeException extends WsException {
    private final String code;
    private final List<ChannelArg> args;

    public SubscribeException(String code, String message, List<ChannelArg> args) {
        super((code == null ? "" : code + " ") + message + " " + args);
        this.code = code;
        this.args = List.copyOf(args);
    }

    /** The server's error code, or null for a timeout. */
    public String code() {
        return code;
    }

    public List<ChannelArg> args() {
        return args;
    }

    public boolean isTimeout() {
        return code == null;
    }
}
