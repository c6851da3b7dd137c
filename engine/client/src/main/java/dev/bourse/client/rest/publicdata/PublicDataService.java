package dev.bourse.client.rest.publicdata;

import dev.bourse.client.rest.RestTransport;

/** Public reference data ({@code /api/v5/public/…}). */
public final class PublicDataService {
    private final RestTransport transport;

    public PublicDataService(RestTransport transport) {
        this.transport = transport;
    }

    public ServerTimeService time() {
        return new ServerTimeService(transport);
    }

    public InstrumentsService instruments() {
        return new InstrumentsService(transport);
    }

    public UnderlyingService underlying() {
        return new UnderlyingService(transport);
    }
}
