package dev.bourse.server.ws;

import dev.bourse.server.auth.ApiPrincipal;
import io.helidon.common.buffers.BufferData;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;

/** One client connection: its outbound queue, login and subscriptions. Helidon calls it on the connection's thread. */
final class Connection implements WsListener {
    /** A private subscription: orders (instType SPOT/ANY, optional instId) or account (optional ccy). */
    record PrivateSub(String channel, String instType, String instId, String ccy) {
    }

    final WsGateway gateway;
    final Endpoint endpoint;
    final String connId = String.format("%08x", ThreadLocalRandom.current().nextInt());
    final Set<TopicKey> topics = ConcurrentHashMap.newKeySet();
    final List<PrivateSub> privateSubs = new CopyOnWriteArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    volatile WsSession session;
    volatile Outbound out;
    volatile long lastInboundNanos = System.nanoTime();
    volatile ApiPrincipal principal;
    volatile boolean closing;
    /** Why the server closed it; null while open or when the client ended it. */
    volatile Disconnect closeReason;
    volatile String remoteIp = "";

    Connection(WsGateway gateway, Endpoint endpoint) {
        this.gateway = gateway;
        this.endpoint = endpoint;
    }

    @Override
    public void onOpen(WsSession session) {
        this.session = session;
        try {
            remoteIp = session.socketContext().remotePeer().host();
        } catch (RuntimeException e) {
            remoteIp = "";
        }
        out = new Outbound(gateway.settings.maxQueuedFrames(), gateway.settings.maxQueuedChars());
        out.start(session, "ws-out-" + connId, gateway.sink(this));
        gateway.opened(this);
    }

    @Override
    public void onMessage(WsSession session, String text, boolean last) {
        lastInboundNanos = System.nanoTime();
        if (!last) {
            partial.append(text);
            if (partial.length() > 1 << 20) {
                partial.setLength(0);
                gateway.closeConnection(this, Disconnect.FRAME_TOO_LARGE, 1009, "Request message exceeds the maximum frame length", true);
            }
            return;
        }
        String msg = text;
        if (!partial.isEmpty()) {
            msg = partial.append(text).toString();
            partial.setLength(0);
        }
        gateway.onText(this, msg);
    }

    @Override
    public void onMessage(WsSession session, BufferData buffer, boolean last) {
        lastInboundNanos = System.nanoTime(); // OKX speaks text only; binary frames just keep the connection alive
    }

    @Override
    public void onPing(WsSession session, BufferData buffer) {
        lastInboundNanos = System.nanoTime();
        byte[] payload = new byte[buffer.available()];
        buffer.read(payload);
        offer(new Outbound.Pong(payload));
    }

    @Override
    public void onPong(WsSession session, BufferData buffer) {
        lastInboundNanos = System.nanoTime();
    }

    @Override
    public void onClose(WsSession session, int status, String reason) {
        gateway.closed(this, Disconnect.CLIENT);
    }

    @Override
    public void onError(WsSession session, Throwable t) {
        gateway.closed(this, Disconnect.ERROR);
    }

    /** Queues a reply (no latency measured). */
    void reply(String json) {
        offer(new Outbound.Text(json, 0));
    }

    /** Queues a push of data the projection received at {@code receivedNanos}. */
    void push(String json, long receivedNanos) {
        offer(new Outbound.Text(json, receivedNanos));
    }

    private void offer(Outbound.Frame f) {
        Outbound o = out;
        if (o != null && !o.offer(f)) {
            gateway.slowConsumer(this);
        }
    }

    /** Cuts the TCP connection: the reader thread is interrupted, which closes a virtual thread's socket. */
    void cut() {
        Outbound o = out;
        if (o != null) {
            o.abort();
        }
        WsSession s = session;
        if (s instanceof ServerConnection sc) {
            sc.close(true);
        }
    }
}
