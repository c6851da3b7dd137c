package dev.bourse.client.ws.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.List;

/**
 * The data item of the {@code books}, {@code books5} and {@code bbo-tbt} channels. {@code checksum} and
 * {@code prevSeqId} are only sent on {@code books} (null otherwise); {@code instId} only on {@code books5}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BookData(List<BookLevel> asks, List<BookLevel> bids, String ts, Integer checksum, Long prevSeqId,
                       Long seqId, String instId) {
    public BookData {
        asks = asks == null ? List.of() : List.copyOf(asks);
        bids = bids == null ? List.of() : List.copyOf(bids);
    }
}
