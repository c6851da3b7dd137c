package dev.bourse.client.ws;

/**
 * The server accepted a subscription (or unsubscription).
 *
 * @param arg     what was subscribed, as requested
 * @param connId  the server's connection id
 * @param recvSeq the receive counter of the acknowledgement: pushes of this subscription have a larger one
 */
public record SubscribeAck(ChannelArg arg, String connId, long recvSeq) {
}
