package org.leadex.loadtest.engine;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.leadex.loadtest.measure.Outcome;
import org.leadex.loadtest.traffic.Answer;
import org.leadex.loadtest.traffic.Operation;

/**
 * Every answer to a post or a direct post, one CSV line each, so that what sellers were told can be
 * compared with the exchange's ledger lead by lead (loadtest/chaos.sh does). Columns:
 * {@code op,ping_id,lead_id,http_status,outcome,price,reason}; {@code http_status} is 0 when no
 * answer came (timeout, connection error); {@code price} is the seller's price exactly as the
 * exchange wrote it. Thread safe (lines from every event loop).
 */
public final class OutcomeLog implements AutoCloseable {
  public static final String HEADER = "op,ping_id,lead_id,http_status,outcome,price,reason";

  private final BufferedWriter out;

  private OutcomeLog(BufferedWriter out) {
    this.out = out;
  }

  public static OutcomeLog open(Path file) throws IOException {
    BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    out.write(HEADER);
    out.newLine();
    return new OutcomeLog(out);
  }

  /** One answer; {@code answer} is null when none came. */
  synchronized void write(Operation op, String pingId, int httpStatus, Answer answer, Outcome outcome) {
    try {
      out.write(op.label() + "," + field(pingId) + "," + field(answer == null ? null : answer.leadId()) + ","
          + httpStatus + "," + field(outcome.key()) + "," + field(answer == null ? null : answer.price()) + ","
          + field(outcome.reason()));
      out.newLine();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Values are ids, codes and decimals; anything else is kept out of the CSV's way. */
  private static String field(String value) {
    return value == null ? "" : value.replaceAll("[,\"\\r\\n]", "_");
  }

  @Override
  public synchronized void close() throws IOException {
    out.close();
  }
}
