package org.leadex.simulator.certify;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * Immutable. A bid answer read exactly as the exchange reads it (pure): the outcome it records and
 * the reason. The rules, in the exchange's order (exchange/…/buyers/BidAnswer.java and BidClient):
 * no complete answer by the deadline is {@code timeout}; more than 64 KiB is {@code too_large}; a
 * failed connection is {@code error}; 204 is {@code no_bid}; any status but 200 is {@code error:
 * status N}; then the body must be a JSON object with a numeric {@code bid}: 0 is {@code no_bid}, a
 * negative one, one with more than 2 decimals and a {@code bid_id} that is not a string of at most
 * 256 characters are {@code error: malformed: …}. The wording of reasons is the exchange's, so a
 * buyer can match the kit's report with the exchange's decision trace.
 *
 * @param outcome what the exchange records
 * @param bid the bid, for {@link Outcome#BID}
 * @param bidId the {@code bid_id}, for {@link Outcome#BID}, when given
 * @param reason why, for {@code error}, {@code timeout} and {@code too_large}
 * @param body the answer's JSON, when it was JSON (for the kit's own checks, e.g. {@code shared_bid})
 * @param late for a {@code timeout} whose answer did come, later: how it would have read in time
 */
public record BidReading(Outcome outcome, BigDecimal bid, String bidId, String reason, JsonNode body, BidReading late) {

  /** The exchange's outcomes of a bid call that was made (its {@code BidOutcome}, less those decided before calling). */
  public enum Outcome {
    BID("bid"), NO_BID("no_bid"), ERROR("error"), TIMEOUT("timeout"), TOO_LARGE("too_large");

    public final String wire;

    Outcome(String wire) {
      this.wire = wire;
    }

    /** Whether the buyer's circuit breaker counts it as a failed call. */
    public boolean failure() {
      return this == ERROR || this == TIMEOUT || this == TOO_LARGE;
    }
  }

  /** The exchange's JSON reading: exact decimals, duplicate keys and trailing garbage are errors. */
  static final ObjectMapper EXCHANGE_JSON = JsonMapper.builder()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
      .build();

  /** The exchange's largest amount of money (its {@code Money.MAX_CENTS}). */
  static final BigDecimal MAX_CENTS = BigDecimal.valueOf(100_000_000_00L);

  /** How the exchange records this answer, given when its budget ran out. */
  public static BidReading of(WireAnswer answer, long deadlineMs) {
    boolean late = answer.ending() == WireAnswer.Ending.SILENT || answer.millis() > deadlineMs;
    if (late) {
      BidReading form = answer.complete() ? read(answer.status(), answer.body()) : null;
      long budget = Math.min(deadlineMs, answer.millis()); // an untimed request (the warm-up) waited only so long
      return new BidReading(Outcome.TIMEOUT, null, null, "no answer within " + budget + " ms", null, form);
    }
    return switch (answer.ending()) {
      case TOO_LARGE -> problem(Outcome.TOO_LARGE, "answer over " + WireAnswer.MAX_ANSWER_BYTES + " bytes");
      case FAILED -> problem(Outcome.ERROR, answer.failure());
      default -> read(answer.status(), answer.body());
    };
  }

  /** The exchange's {@code BidAnswer.read}: a complete answer's status and body. */
  static BidReading read(int status, byte[] body) {
    if (status == 204) {
      return new BidReading(Outcome.NO_BID, null, null, null, null, null);
    }
    if (status != 200) {
      return problem(Outcome.ERROR, "status " + status);
    }
    JsonNode node = parse(body);
    if (node == null) {
      return problem(Outcome.ERROR, "malformed: not JSON");
    }
    JsonNode bid = node.get("bid");
    if (!node.isObject() || bid == null || !bid.isNumber()) {
      return new BidReading(Outcome.ERROR, null, null, "malformed: no numeric bid", node, null);
    }
    BigDecimal amount = bid.decimalValue();
    if (amount.signum() == 0) {
      return new BidReading(Outcome.NO_BID, null, null, null, node, null);
    }
    if (amount.signum() < 0) {
      return new BidReading(Outcome.ERROR, null, null, "malformed: negative bid", node, null);
    }
    if (!isMoney(amount)) {
      return new BidReading(Outcome.ERROR, null, null, "malformed: bid has more than 2 decimals or is out of range", node, null);
    }
    JsonNode bidId = node.get("bid_id");
    String id = null;
    if (bidId != null && !bidId.isNull()) {
      if (!bidId.isTextual() || bidId.textValue().length() > 256) {
        return new BidReading(Outcome.ERROR, null, null, "malformed: bid_id must be a string of at most 256 characters", node, null);
      }
      id = bidId.textValue();
    }
    return new BidReading(Outcome.BID, amount, id, null, node, null);
  }

  /** The exchange's {@code Money.exact}: at most two decimals once trailing zeros go, and in range. */
  static boolean isMoney(BigDecimal dollars) {
    return dollars.stripTrailingZeros().scale() <= 2 && dollars.movePointRight(2).abs().compareTo(MAX_CENTS) <= 0;
  }

  /** The body as the exchange's JSON, or null when it is not JSON (an empty body is not). */
  static JsonNode parse(byte[] body) {
    try {
      JsonNode node = EXCHANGE_JSON.readTree(body);
      return node == null || node.isMissingNode() ? null : node;
    } catch (IOException e) {
      return null;
    }
  }

  private static BidReading problem(Outcome outcome, String reason) {
    return new BidReading(outcome, null, null, reason, null, null);
  }

  /** What the exchange records, as its decision trace shows it: "bid 14.25 (bid_id b-17)", "error: status 500". */
  public String recorded() {
    return switch (outcome) {
      case BID -> "bid " + bid.toPlainString() + (bidId == null ? " (no bid_id)" : " (bid_id " + bidId + ")");
      case NO_BID -> "no_bid";
      default -> outcome.wire + ": " + reason;
    };
  }

  /** Whether the exchange takes it as a valid answer: a bid or a no-bid. */
  public boolean valid() {
    return outcome == Outcome.BID || outcome == Outcome.NO_BID;
  }
}
