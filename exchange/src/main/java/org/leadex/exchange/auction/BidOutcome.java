package org.leadex.exchange.auction;

/**
 * What became of one buyer on one ping. Failures are values, not exceptions: every buyer call ends
 * in exactly one of these, which the trace, the metrics and the bids table read. The code is the
 * compact form stored in {@code bids.outcome}.
 */
public enum BidOutcome {
  /** Not asked: the trace's {@code skipped} says why. */
  SKIPPED(0, null),
  BID(1, "bid"),
  NO_BID(2, "no_bid"),
  TIMEOUT(3, "timeout"),
  ERROR(4, "error"),
  TOO_LARGE(5, "too_large"),
  BELOW_FLOOR(6, "below_floor"),
  CIRCUIT_OPEN(7, "circuit_open"),
  FIXED_PRICE(8, "fixed_price");

  private static final BidOutcome[] BY_CODE = new BidOutcome[9];

  static {
    for (BidOutcome outcome : values()) {
      BY_CODE[outcome.code] = outcome;
    }
  }

  public final short code;
  /** The name in the contract's trace and metrics; null for a skipped buyer. */
  public final String wire;

  BidOutcome(int code, String wire) {
    this.code = (short) code;
    this.wire = wire;
  }

  public static BidOutcome ofCode(int code) {
    return BY_CODE[code];
  }

  /** Whether the buyer made an offer (a bid or its fixed price). */
  public boolean offers() {
    return this == BID || this == FIXED_PRICE;
  }

  /** Whether the circuit breaker counts this as a failed call. */
  public boolean failure() {
    return this == TIMEOUT || this == ERROR || this == TOO_LARGE;
  }
}
