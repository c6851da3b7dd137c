package dev.bourse.bench.exchange;

import dev.bourse.client.auth.Credentials;

/** A trading account a bench tool set up (or was given): its name, account id and API key. */
public record TraderAccount(String name, String userId, Credentials credentials) {
}
