package dev.bourse.server.ws;

/** The three OKX V5 WebSocket URLs. */
enum Endpoint {
    PUBLIC("/ws/v5/public"), PRIVATE("/ws/v5/private"), BUSINESS("/ws/v5/business");

    final String path;

    Endpoint(String path) {
        this.path = path;
    }

    /** Market-data channels: public and business (OKX moved candles to business; both serve all). */
    boolean servesPublic() {
        return this != PRIVATE;
    }

    /** Login and the account/orders channels. */
    boolean servesPrivate() {
        return this != PUBLIC;
    }

    /** Order operations (OKX: the private URL only). */
    boolean servesTrading() {
        return this == PRIVATE;
    }
}
