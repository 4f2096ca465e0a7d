package org.leadex.loadtest.engine;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * One stretch of a run at one target rate. Phases run back to back on a single schedule, so the
 * load never pauses between them; a request belongs to the phase its intended send time falls in.
 *
 * @param name shown in the progress line and the reports ("warmup", "run", "step 3 · 600/s")
 * @param ratePerSecond the target arrival rate (pings plus direct posts)
 * @param duration how long the phase's schedule lasts
 * @param arrivals makes the phase's sequence of intended send times
 * @param recorded false for a warmup: sent and answered, but left out of every report
 * @param onStart run by the schedule thread as the phase begins (e.g. start a buyer storm); it
 *     must return at once, doing any I/O asynchronously
 */
public record Phase(String name, double ratePerSecond, Duration duration,
    Supplier<Arrivals> arrivals, boolean recorded, Runnable onStart) {

  public Phase {
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("phase " + name + " needs a positive duration");
    }
  }

  public Phase(String name, double ratePerSecond, Duration duration,
      Supplier<Arrivals> arrivals, boolean recorded) {
    this(name, ratePerSecond, duration, arrivals, recorded, () -> { });
  }

  public static Phase warmup(double ratePerSecond, Duration duration) {
    return new Phase("warmup", ratePerSecond, duration,
        () -> Arrivals.ramp(ratePerSecond, duration.toNanos()), false);
  }

  /** The same phase, running {@code action} as it begins. */
  public Phase withOnStart(Runnable action) {
    return new Phase(name, ratePerSecond, duration, arrivals, recorded, action);
  }

  public static Phase measured(String name, double ratePerSecond, Duration duration,
      boolean poisson, long seed) {
    return new Phase(name, ratePerSecond, duration,
        poisson
            ? () -> Arrivals.poisson(ratePerSecond, seed)
            : () -> Arrivals.constant(ratePerSecond),
        true);
  }

  public long durationNanos() {
    return duration.toNanos();
  }
}
