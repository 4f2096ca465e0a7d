package org.leadex.simulator.certify;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Immutable. A post answer read exactly as the exchange reads it (pure; exchange/…/buyers/PostAnswer.java
 * and PostClient): accepted only on 200 with a JSON object whose {@code accepted} is the boolean
 * {@code true}; anything else — another status, a malformed body, more than 64 KiB, a failure, no
 * answer within {@code post_timeout_ms} — is a rejection with its reason.
 *
 * @param accepted whether the exchange records a sale
 * @param reference the buyer's {@code reference} (cut to 256 characters), when given
 * @param reason the rejection's reason as the exchange records it
 * @param wellFormed whether the answer was one of the contract's two forms, answered in time
 */
public record PostReading(boolean accepted, String reference, String reason, boolean wellFormed) {

  public static PostReading of(WireAnswer answer, long timeoutMs) {
    if (answer.ending() == WireAnswer.Ending.SILENT || answer.millis() > timeoutMs) {
      return rejected("timeout after " + timeoutMs + " ms");
    }
    return switch (answer.ending()) {
      case TOO_LARGE -> rejected("too_large: answer over " + WireAnswer.MAX_ANSWER_BYTES + " bytes");
      case FAILED -> rejected("error: " + answer.failureMessage());
      default -> read(answer.status(), answer.body());
    };
  }

  static PostReading read(int status, byte[] body) {
    if (status != 200) {
      return rejected("status " + status);
    }
    JsonNode node = BidReading.parse(body);
    if (node == null) {
      return rejected("malformed: not JSON");
    }
    JsonNode accepted = node.get("accepted");
    if (!node.isObject() || accepted == null || !accepted.isBoolean()) {
      return rejected("malformed: no boolean accepted");
    }
    String reference = text(node.get("reference"));
    if (accepted.booleanValue()) {
      return new PostReading(true, reference, null, true);
    }
    String reason = text(node.get("reason"));
    return new PostReading(false, null, reason == null ? "rejected" : reason, true);
  }

  private static PostReading rejected(String reason) {
    return new PostReading(false, null, reason, false);
  }

  private static String text(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    String text = node.isTextual() ? node.textValue() : node.toString();
    return text.length() <= 256 ? text : text.substring(0, 256);
  }

  /** What the exchange records: "sold (reference R)" or "rejected: reason". */
  public String recorded() {
    return accepted
        ? "sold (" + (reference == null ? "no reference" : "reference " + reference) + ")"
        : "rejected: " + reason;
  }
}
