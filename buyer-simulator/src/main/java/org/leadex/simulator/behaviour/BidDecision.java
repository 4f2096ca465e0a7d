package org.leadex.simulator.behaviour;

import org.leadex.simulator.config.Money;

/**
 * Immutable. What a buyer does with one bid request: the outcome, how long it waits first, and
 * the bid it means (also inside a trickled or oversized answer).
 *
 * @param delayMs wait before answering (for a trickle: before the last byte goes out, less
 *     {@code trickle_ms})
 * @param bidCents the bid; 0 for no bid
 * @param sharedBidCents {@code shared_bid}; 0 for none
 * @param bidId the {@code bid_id} sent with a bid, else null
 * @param noBidReason why there was no bid (for {@link Outcome#NO_BID}), else null
 * @param sequence 1 for the buyer's first bid request, 2 for the next, …
 */
public record BidDecision(
    Outcome outcome, long delayMs, long bidCents, long sharedBidCents, String bidId, NoBidReason noBidReason, long sequence) {

  /** Exactly one per bid request; the error kinds are the names of {@code errors} rates. */
  public enum Outcome { BID, NO_BID, HANG, ERROR_500, MALFORMED, TRICKLE, RESET, OVERSIZED }

  public enum NoBidReason { CHANCE, PREFERENCE, CAPACITY }

  /** Bodies that are not JSON, in turn: cut short, HTML, a number with two points. */
  private static final String[] MALFORMED = {
    "{\"bid\": 12.5, \"bid_id\": \"", "<html><body>502 Bad Gateway</body></html>", "{\"bid\": 1.2.3}"
  };

  /** The JSON a well-behaved buyer sends: {@code {"bid":14.25,"bid_id":"…"}} or {@code {"bid":0}}. */
  public String answerJson() {
    if (bidCents == 0) {
      return "{\"bid\":0}";
    }
    StringBuilder sb = new StringBuilder(64).append("{\"bid\":").append(Money.format(bidCents));
    if (bidId != null) {
      sb.append(",\"bid_id\":\"").append(bidId).append('"');
    }
    if (sharedBidCents > 0) {
      sb.append(",\"shared_bid\":").append(Money.format(sharedBidCents));
    }
    return sb.append('}').toString();
  }

  public String malformedBody() {
    return MALFORMED[(int) (sequence % MALFORMED.length)];
  }
}
