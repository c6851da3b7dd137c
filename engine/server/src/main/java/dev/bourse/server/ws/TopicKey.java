package dev.bourse.server.ws;

/** A public channel of one instrument: what one serialized push goes to. */
record TopicKey(String channel, String instId) {
}
