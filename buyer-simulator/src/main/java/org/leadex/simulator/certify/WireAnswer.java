package org.leadex.simulator.certify;

import java.nio.charset.StandardCharsets;

/**
 * Immutable. What came back on the wire for one request, before any judgement: how the exchange
 * reads it is {@link BidReading} or {@link PostReading}.
 *
 * @param status the HTTP status, or 0 when none arrived
 * @param contentType the {@code Content-Type} header, or null
 * @param body the body as received, at most {@link #MAX_ANSWER_BYTES} bytes
 * @param millis when it ended, from the moment the request was started (as the exchange's budget
 *     timer starts): the last byte, the byte that passed the size limit, the failure, or the end of
 *     the wait
 * @param ending how it ended
 * @param failure for {@link Ending#FAILED}: the error's class and message, as the exchange records it
 * @param failureMessage for {@link Ending#FAILED}: the error's message alone (the post's form)
 */
public record WireAnswer(int status, String contentType, byte[] body, long millis, Ending ending, String failure,
                         String failureMessage) {

  /** The contract's limit on a buyer's answer; one byte more is {@code too_large}. */
  public static final int MAX_ANSWER_BYTES = 64 * 1024;

  public enum Ending {
    /** The whole answer arrived (in time or not: the reading decides). */
    COMPLETE,
    /** The answer passed {@link #MAX_ANSWER_BYTES}; the kit reset the request, as the exchange does. */
    TOO_LARGE,
    /** The connection failed or was reset before the answer was complete. */
    FAILED,
    /** No complete answer within the kit's wait (the deadline plus the late wait). */
    SILENT
  }

  /** One line for a person: "200 application/json, 24 bytes in 3 ms: {"bid":10.00}". */
  public String describe() {
    return switch (ending) {
      case SILENT -> "no complete answer within " + millis + " ms" + (status == 0 ? "" : " (status " + status + " came, the body did not end)");
      case FAILED -> "failed after " + millis + " ms: " + failure;
      case TOO_LARGE -> status + " " + (contentType == null ? "without Content-Type" : contentType)
          + ", over " + MAX_ANSWER_BYTES + " bytes by " + millis + " ms: " + excerpt(120);
      case COMPLETE -> status + " " + (contentType == null ? "without Content-Type" : contentType) + ", "
          + body.length + " bytes in " + millis + " ms" + (body.length == 0 ? "" : ": " + excerpt(200));
    };
  }

  /** The start of the body as text, on one line. */
  public String excerpt(int maxChars) {
    String text = new String(body, 0, Math.min(body.length, maxChars * 4), StandardCharsets.UTF_8)
        .replace('\n', ' ').replace('\r', ' ');
    return text.length() <= maxChars ? text : text.substring(0, maxChars) + "…";
  }

  public boolean complete() {
    return ending == Ending.COMPLETE;
  }

  /** Whether the {@code Content-Type} says JSON ({@code application/json}, with or without parameters). */
  public boolean saysJson() {
    return contentType != null && contentType.toLowerCase(java.util.Locale.ROOT).trim().startsWith("application/json");
  }
}
