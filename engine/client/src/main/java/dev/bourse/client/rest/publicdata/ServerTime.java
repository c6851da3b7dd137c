package dev.bourse.client.rest.publicdata;

/** {@code GET /api/v5/public/time}: the server's clock, epoch ms. */
public record ServerTime(long ts) {
}
