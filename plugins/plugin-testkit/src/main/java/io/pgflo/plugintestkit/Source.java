package io.pgflo.plugintestkit;

import io.pgflo.testkit.TestPostgres;

/**
 * The database a run streams from. Host and port are kept apart from the server so that the command line can be
 * checked without one; {@code server} is null only in such tests.
 */
record Source(TestPostgres server, String host, int port, String database) {
    static Source of(TestPostgres server, String database) {
        return new Source(server, server.host(), server.port(), database);
    }

    /**
     * The group a run takes unless told otherwise: the database's name, unique per test database, so runs on one
     * server never share a slot (slot names are server-wide). Cut from the front to the 44 characters a group may
     * have, keeping the number {@code createDatabase} ends the name with.
     */
    String defaultGroup() {
        int max = 63 - "pg_flo__publication".length();
        return database.length() <= max ? database : database.substring(database.length() - max);
    }
}
