package org.leadex.exchange.logs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;
import org.leadex.exchange.json.Json;

/**
 * One JSON object per line, for log collectors: {@code ts}, {@code level}, {@code logger},
 * {@code msg}, {@code ping_id} and {@code lead_id} when the line is about one, and
 * {@code exception} (the stack trace) when there is one. Messages and stack traces pass through
 * {@link PiiMask}. Thread safe.
 */
public final class JsonLogFormatter extends Formatter {
  @Override
  public String format(LogRecord record) {
    ObjectNode line = Json.object();
    line.put("ts", Instant.ofEpochMilli(record.getMillis()).toString());
    line.put("level", record.getLevel().getName());
    line.put("logger", record.getLoggerName());
    LeadLog.Ids ids = LeadLog.idsOf(record);
    line.put("msg", PiiMask.mask(ids == null ? formatMessage(record) : record.getMessage()));
    if (ids != null && ids.pingId() != null) {
      line.put("ping_id", ids.pingId().toString());
    }
    if (ids != null && ids.leadId() != null) {
      line.put("lead_id", ids.leadId().toString());
    }
    if (record.getThrown() != null) {
      StringWriter trace = new StringWriter();
      record.getThrown().printStackTrace(new PrintWriter(trace));
      line.put("exception", PiiMask.mask(trace.toString()));
    }
    return Json.text(line) + System.lineSeparator();
  }
}
