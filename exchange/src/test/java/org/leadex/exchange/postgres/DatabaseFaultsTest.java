package org.leadex.exchange.postgres;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

/** A database that is away is told from a statement that is wrong (503 and retry vs a logged 500). */
class DatabaseFaultsTest {

  @Test
  void aServerShuttingDownOrUnreachableIsUnavailable() {
    assertTrue(DatabaseFaults.unavailable(new PgException("terminating connection due to administrator command",
        "FATAL", "57P01", null)));
    assertTrue(DatabaseFaults.unavailable(new PgException("the database system is starting up", "FATAL", "57P03", null)));
    assertTrue(DatabaseFaults.unavailable(new PgException("too many clients already", "FATAL", "53300", null)));
    assertTrue(DatabaseFaults.unavailable(new ConnectException("Connection refused")));
    assertTrue(DatabaseFaults.unavailable(new VertxException("wrapped", new ConnectException("Connection refused"))));
    assertTrue(DatabaseFaults.unavailable(io.vertx.sqlclient.ClosedConnectionException.INSTANCE));
  }

  @Test
  void aWrongStatementOrABugIsNot() {
    assertFalse(DatabaseFaults.unavailable(new PgException("syntax error at or near \"selct\"", "ERROR", "42601", null)));
    assertFalse(DatabaseFaults.unavailable(new PgException("duplicate key value violates unique constraint", "ERROR",
        "23505", null)));
    assertFalse(DatabaseFaults.unavailable(new NullPointerException()));
    assertFalse(DatabaseFaults.unavailable(new IllegalStateException("lead 1 was no longer being delivered")));
  }
}
