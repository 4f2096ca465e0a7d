package org.leadex.exchange.admission;

import java.util.concurrent.atomic.AtomicLong;
import org.leadex.exchange.catalog.RateLimit;

/**
 * A token bucket kept as one number, the "theoretical arrival time" of the generic cell rate
 * algorithm: each request pushes it one interval (1 s / rate) into the future, and a request is
 * refused when that would put it more than {@code burst} intervals ahead of now. Equivalent to a
 * bucket of {@code burst} tokens refilled at {@code rate}, but lock-free: one compare-and-set per
 * request on the ping path. Used for sellers' request rates and for buyers' connection resets.
 * Thread safe.
 */
public final class TokenBucket {
  private final RateLimit limit;
  private final long intervalNanos;
  private final long toleranceNanos;
  private final AtomicLong theoreticalArrival;

  public TokenBucket(RateLimit limit, long nowNanos) {
    this.limit = limit;
    this.intervalNanos = Math.max(1, 1_000_000_000L / limit.perSecond());
    this.toleranceNanos = (limit.burst() - 1) * intervalNanos;
    this.theoreticalArrival = new AtomicLong(nowNanos);
  }

  public RateLimit limit() {
    return limit;
  }

  /** 0 when the request may go ahead (and takes its token), else the nanoseconds until it could. */
  public long take(long nowNanos) {
    while (true) {
      long tat = theoreticalArrival.get();
      long start = tat - nowNanos > 0 ? tat : nowNanos; // overflow-safe max for System.nanoTime values
      long wait = start - nowNanos - toleranceNanos;
      if (wait > 0) {
        return wait;
      }
      if (theoreticalArrival.compareAndSet(tat, start + intervalNanos)) {
        return 0;
      }
    }
  }
}
