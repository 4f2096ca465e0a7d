package org.leadex.exchange.leads;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.vertx.sqlclient.DatabaseException;
import java.util.logging.Filter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Keeps lead data out of every log, including what Vert.x and its SQL client log on their own
 * (Vert.x Web logs each failed request's exception at debug level, message and all). Database and
 * JSON-parser exceptions are the ones whose messages quote the values being handled, so a record
 * carrying one has it replaced by its {@link RedactedFailure} before any handler formats it.
 *
 * <p>Installed on the root logger's handlers at start; a handler added later (by code, not by
 * logging.properties) must set {@link #filter} itself. Thread safe.
 */
public final class PiiSafeLogging {
  private PiiSafeLogging() {}

  /** Puts the redacting filter in front of every root handler's own filter (once per handler). */
  public static void install() {
    for (Handler handler : Logger.getLogger("").getHandlers()) {
      if (!(handler.getFilter() instanceof Redacting)) {
        handler.setFilter(filter(handler.getFilter()));
      }
    }
  }

  /** A filter that redacts, then asks {@code next} (may be null). */
  public static Filter filter(Filter next) {
    return new Redacting(next);
  }

  private record Redacting(Filter next) implements Filter {
    @Override
    public boolean isLoggable(LogRecord record) {
      Throwable thrown = record.getThrown();
      if (thrown != null && !(thrown instanceof RedactedFailure) && quotesData(thrown)) {
        record.setThrown(RedactedFailure.of(thrown));
      }
      return next == null || next.isLoggable(record);
    }
  }

  private static boolean quotesData(Throwable thrown) {
    Throwable t = thrown;
    for (int depth = 0; t != null && depth < 10; depth++, t = t.getCause()) {
      if (t instanceof DatabaseException || t instanceof JsonProcessingException) {
        return true;
      }
    }
    return false;
  }
}
