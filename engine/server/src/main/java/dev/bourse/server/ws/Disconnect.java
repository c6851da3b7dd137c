package dev.bourse.server.ws;

/** Why a WebSocket connection ended: the {@code reason} tag of {@code bourse_ws_disconnects_total}. */
enum Disconnect {
    /** The client closed it (close frame answered or TCP closed by the peer). */
    CLIENT("client"),
    /** The transport failed: read or write error, or a close the client never answered. */
    ERROR("error"),
    /** Nothing received for the idle timeout (4004). */
    IDLE("idle"),
    /** Its outbound queue filled up (4005). */
    SLOW_CONSUMER("slow_consumer"),
    /** A message over the frame limit (1009). */
    FRAME_TOO_LARGE("frame_too_large"),
    /** The server is stopping (1001). */
    SHUTDOWN("shutdown");

    final String tag;

    Disconnect(String tag) {
        this.tag = tag;
    }
}
