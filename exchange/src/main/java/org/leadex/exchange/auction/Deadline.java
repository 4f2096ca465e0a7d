package org.leadex.exchange.auction;

/**
 * The one deadline of a ping, made at the HTTP edge when the request arrives and passed down to
 * every asynchronous step. Monotonic time (System.nanoTime), never wall time. Immutable.
 *
 * <p>Buyers get the campaign's {@code ping_timeout_ms} less a reserve for the exchange's own work
 * after the last bid (ranking, recording, writing the answer): 1/20 of the timeout, at least 2 ms
 * and at most 10 ms. A buyer's own {@code timeout_ms} is clamped to what remains.
 */
public record Deadline(long startNanos, long buyersEndNanos) {

  public static Deadline of(long startNanos, int pingTimeoutMs) {
    long reserveMs = Math.max(2, Math.min(10, pingTimeoutMs / 20));
    return new Deadline(startNanos, startNanos + (pingTimeoutMs - reserveMs) * 1_000_000L);
  }

  /** Whole milliseconds a buyer may still take, at most its own timeout; 0 when none remain. */
  public long buyerBudgetMillis(long nowNanos, int buyerTimeoutMs) {
    long remaining = (buyersEndNanos - nowNanos) / 1_000_000L;
    return Math.max(0, Math.min(buyerTimeoutMs, remaining));
  }
}
