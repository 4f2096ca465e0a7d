package org.leadex.exchange.metrics;

/**
 * A rate over the last few seconds from samples of a running total taken once a second: what the
 * dashboard shows as "pings/s now", as opposed to the average since start. Thread safe.
 */
final class RecentRate {
  private final long[] nanos;
  private final long[] totals;
  private int next;
  private int filled;

  RecentRate(int seconds) {
    nanos = new long[seconds + 1];
    totals = new long[seconds + 1];
  }

  synchronized void sample(long nowNanos, long total) {
    nanos[next] = nowNanos;
    totals[next] = total;
    next = (next + 1) % nanos.length;
    filled = Math.min(filled + 1, nanos.length);
  }

  /** (newest − oldest) / elapsed, over the samples kept; 0 before two samples. */
  synchronized double perSecond() {
    if (filled < 2) {
      return 0;
    }
    int newest = (next - 1 + nanos.length) % nanos.length;
    int oldest = filled < nanos.length ? 0 : next;
    long elapsed = nanos[newest] - nanos[oldest];
    return elapsed <= 0 ? 0 : (totals[newest] - totals[oldest]) * 1e9 / elapsed;
  }
}
