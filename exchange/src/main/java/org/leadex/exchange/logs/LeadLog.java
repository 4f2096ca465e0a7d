package org.leadex.exchange.logs;

import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Log lines about one ping or lead carry its ids explicitly, as a {@link Ids} parameter of the
 * record, which both formatters print ({@code ping_id}, {@code lead_id} in JSON). Explicit rather
 * than a thread-local context: a ping's work hops between callbacks on event loops, where a
 * thread-local would leak one ping's id into another's lines. Thread safe.
 */
public final class LeadLog {
  /** The ids a line is about; either may be null. */
  public record Ids(UUID pingId, UUID leadId) {}

  private LeadLog() {}

  public static void log(Logger logger, Level level, UUID pingId, UUID leadId, String message) {
    log(logger, level, pingId, leadId, message, null);
  }

  public static void log(Logger logger, Level level, UUID pingId, UUID leadId, String message, Throwable thrown) {
    if (!logger.isLoggable(level)) {
      return;
    }
    LogRecord record = new LogRecord(level, message);
    record.setLoggerName(logger.getName());
    record.setSourceClassName(logger.getName()); // not this helper, as JUL would infer
    record.setParameters(new Object[] {new Ids(pingId, leadId)});
    record.setThrown(thrown);
    logger.log(record);
  }

  /** The ids a record carries, or null. */
  static Ids idsOf(LogRecord record) {
    Object[] parameters = record.getParameters();
    if (parameters != null) {
      for (Object p : parameters) {
        if (p instanceof Ids ids) {
          return ids;
        }
      }
    }
    return null;
  }
}
