package dev.bourse.server.store;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DatabaseTest {

    @Test
    void anH2FileDatabaseWritesEveryCommitBeforeItIsAcknowledged() {
        assertEquals("jdbc:h2:file:./data/b;MODE=PostgreSQL;WRITE_DELAY=0", Database.durable("jdbc:h2:file:./data/b;MODE=PostgreSQL"));
        assertEquals("jdbc:h2:file:x;write_delay=100", Database.durable("jdbc:h2:file:x;write_delay=100"));
        assertEquals("jdbc:postgresql://h/db", Database.durable("jdbc:postgresql://h/db"));
        assertEquals("jdbc:h2:mem:t", Database.durable("jdbc:h2:mem:t"));
    }
}
