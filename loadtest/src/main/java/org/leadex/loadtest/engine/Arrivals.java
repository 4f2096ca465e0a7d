package org.leadex.loadtest.engine;

import java.util.SplittableRandom;

/**
 * The intended send times of one phase, as offsets from the phase start. Not thread safe: one
 * scheduler thread walks a sequence from start to end.
 *
 * <p>This is what makes the generator open-loop: the times are fixed before the run, by the rate
 * alone. Nothing the server does (answering slowly, stalling, refusing) moves them, so a stall
 * cannot hide requests that were never sent; every request that should have gone out during the
 * stall did go out, and each one's latency is measured from the time it was meant to leave.
 */
public interface Arrivals {

  /** Offset in nanoseconds of the next arrival; non-decreasing; {@link Long#MAX_VALUE} if none. */
  long nextOffsetNanos();

  /** Evenly spaced arrivals: the i-th one at i / rate seconds. */
  static Arrivals constant(double ratePerSecond) {
    if (ratePerSecond <= 0) {
      return () -> Long.MAX_VALUE;
    }
    double intervalNanos = 1e9 / ratePerSecond;
    return new Arrivals() {
      private long index;

      @Override
      public long nextOffsetNanos() {
        return Math.round(index++ * intervalNanos);
      }
    };
  }

  /**
   * A linear ramp from 0 to {@code ratePerSecond} over {@code durationNanos}, for warming a cold
   * server up gently. The count sent by time t is rate·t²/(2·T), so the i-th arrival is at
   * sqrt(2·T·i / rate). Past the end of the ramp it would keep accelerating; the phase ends first.
   */
  static Arrivals ramp(double ratePerSecond, long durationNanos) {
    if (ratePerSecond <= 0 || durationNanos <= 0) {
      return () -> Long.MAX_VALUE;
    }
    double secondsSquaredPerArrival = 2.0 * (durationNanos / 1e9) / ratePerSecond;
    return new Arrivals() {
      private long index;

      @Override
      public long nextOffsetNanos() {
        return Math.round(Math.sqrt(secondsSquaredPerArrival * index++) * 1e9);
      }
    };
  }

  /**
   * A Poisson process (exponential gaps, mean 1 / rate), seeded so a run can be repeated. Real
   * seller traffic is bursty; this shows what bursts of the same average rate do to the tail.
   */
  static Arrivals poisson(double ratePerSecond, long seed) {
    if (ratePerSecond <= 0) {
      return () -> Long.MAX_VALUE;
    }
    double meanGapNanos = 1e9 / ratePerSecond;
    SplittableRandom random = new SplittableRandom(seed);
    return new Arrivals() {
      private double offset;
      private boolean first = true;

      @Override
      public long nextOffsetNanos() {
        if (first) {
          first = false;
          return 0;
        }
        offset += -Math.log(1.0 - random.nextDouble()) * meanGapNanos;
        return Math.round(offset);
      }
    };
  }
}
