package org.leadex.exchange.postgres;

import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

/**
 * Tells a failure of the database's availability (refused or dropped connections, a server shutting
 * down or restarting, a pool that waited too long) from a failure of the statement itself (a bug, a
 * constraint). The first kind is answered 503 and retried; the second stays a 500 that is logged.
 * Pure.
 */
public final class DatabaseFaults {
  private DatabaseFaults() {}

  public static boolean unavailable(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof PgException pg) {
        String state = pg.getSqlState() == null ? "" : pg.getSqlState();
        // 08: connection exception; 57: operator intervention (admin shutdown, cannot connect now);
        // 53: insufficient resources (too many connections)
        return state.startsWith("08") || state.startsWith("57") || state.startsWith("53");
      }
      if (t instanceof ClosedConnectionException || t instanceof ConnectException
          || t instanceof TimeoutException || t instanceof java.nio.channels.ClosedChannelException) {
        return true;
      }
      String message = String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT);
      if (message.contains("connection refused") || message.contains("connection reset")
          || message.contains("closed") || message.contains("timeout")) {
        return true;
      }
    }
    return false;
  }

  /** The statement broke a unique constraint (23505): what it would write is there already. */
  public static boolean duplicate(Throwable failure) {
    return failure instanceof PgException pg && "23505".equals(pg.getSqlState());
  }
}
