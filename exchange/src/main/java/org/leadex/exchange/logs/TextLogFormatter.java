package org.leadex.exchange.logs;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * One line per record for people: time, level, logger, the ping and lead ids when the line is
 * about one, and the message ({@link PiiMask}ed), then any stack trace. Thread safe.
 */
public final class TextLogFormatter extends Formatter {
  @Override
  public String format(LogRecord record) {
    StringBuilder line = new StringBuilder(160);
    line.append(Instant.ofEpochMilli(record.getMillis())).append(' ').append(record.getLevel().getName()).append(' ')
        .append(record.getLoggerName()).append(": ");
    LeadLog.Ids ids = LeadLog.idsOf(record);
    if (ids != null) {
      if (ids.pingId() != null) {
        line.append("[ping ").append(ids.pingId()).append("] ");
      }
      if (ids.leadId() != null) {
        line.append("[lead ").append(ids.leadId()).append("] ");
      }
    }
    line.append(PiiMask.mask(ids == null ? formatMessage(record) : record.getMessage()));
    if (record.getThrown() != null) {
      StringWriter trace = new StringWriter();
      record.getThrown().printStackTrace(new PrintWriter(trace));
      line.append(System.lineSeparator()).append(PiiMask.mask(trace.toString().stripTrailing()));
    }
    return line.append(System.lineSeparator()).toString();
  }
}
