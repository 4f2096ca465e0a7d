package org.leadex.simulator.certify;

/**
 * Immutable. One bid request the kit sent, what came back and how the exchange reads it.
 *
 * @param byRules read by an adapter's response rules (any format) rather than as the protocol's JSON
 */
public record BidExchange(String label, String url, String request, WireAnswer answer, BidReading reading,
                          boolean byRules) {

  public BidExchange(String label, String url, String request, WireAnswer answer, BidReading reading) {
    this(label, url, request, answer, reading, false);
  }

  public CaseResult.Call call() {
    return new CaseResult.Call(label, url, request, answer, reading.recorded());
  }

  /** How the answer reads regardless of time: the reading itself, or for a late answer how it would have read. */
  public BidReading form() {
    return reading.outcome() == BidReading.Outcome.TIMEOUT && reading.late() != null ? reading.late() : reading;
  }
}
