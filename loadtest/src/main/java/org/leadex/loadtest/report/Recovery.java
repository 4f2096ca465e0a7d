package org.leadex.loadtest.report;

import java.util.List;
import org.leadex.loadtest.measure.IntervalSample;
import org.leadex.loadtest.measure.SecondSample;

/**
 * How long after the surge (or storm) the pings' p99 and goodput came back to what they were
 * before it, read from the whole run's per-second series. Pure.
 *
 * <p>"Back" means: within {@code margin} of the {@code before} phase's figure (p99 at most
 * (1 + margin) × its p99; goodput at least (1 − margin) × its goodput per second), and staying
 * there. The time given is from the end of the window to the end of the last second after it that
 * was not back; 0 if none was. When the last second of the run was still not back, there is no
 * time to give (null: not recovered within the run). Seconds are by completion time, so pings the
 * window left queued count against the recovery, as a seller would feel them.
 *
 * @param windowEndSeconds when the window ended, on the whole run's clock
 * @param referenceP99Ms the {@code before} phase's ping p99
 * @param p99LimitMs what counts as back
 * @param p99RecoverySeconds seconds until p99 was back for good; null if never within the run
 * @param referenceGoodputPerSecond the {@code before} phase's goodput per second
 * @param goodputLimitPerSecond what counts as back
 * @param goodputRecoverySeconds seconds until goodput was back for good; null if never
 */
public record Recovery(double windowEndSeconds, double margin, double referenceP99Ms,
    double p99LimitMs, Double p99RecoverySeconds, double referenceGoodputPerSecond,
    double goodputLimitPerSecond, Double goodputRecoverySeconds) {

  /**
   * @param whole the whole run's per-second series (seconds since the {@code before} phase began)
   * @param runEndSeconds the end of the schedule; the drain after it is left out
   */
  public static Recovery of(List<SecondSample> whole, double windowEndSeconds,
      double runEndSeconds, double referenceP99Ms, double referenceGoodputPerSecond,
      double margin) {
    double p99Limit = referenceP99Ms * (1 + margin);
    double goodputLimit = referenceGoodputPerSecond * (1 - margin);
    Double p99 = lastBad(whole, windowEndSeconds, runEndSeconds,
        (pings, seconds) -> pings.p99Ms() > p99Limit);
    Double goodput = lastBad(whole, windowEndSeconds, runEndSeconds,
        (pings, seconds) -> pings.goodput() < goodputLimit * seconds);
    return new Recovery(windowEndSeconds, margin, referenceP99Ms, round(p99Limit), p99,
        round(referenceGoodputPerSecond), round(goodputLimit), goodput);
  }

  /** Whether a second's pings were not back yet; {@code seconds} is the second's real length. */
  private interface Bad {
    boolean test(IntervalSample pings, double seconds);
  }

  /** Seconds from the window's end to the end of the last bad second; null if the last was bad. */
  private static Double lastBad(List<SecondSample> whole, double from, double to, Bad bad) {
    Double lastBadEnd = null;
    SecondSample last = null;
    for (SecondSample s : whole) {
      // A little slack at the end: the monitor's second is not exact.
      if (s.atSeconds() <= from || s.atSeconds() > to + 0.5 || s.lengthSeconds() < 0.5) {
        continue;
      }
      IntervalSample pings = s.operations().get("ping");
      if (pings == null) {
        continue;
      }
      last = s;
      if (pings.completed() == 0 || bad.test(pings, s.lengthSeconds())) {
        lastBadEnd = s.atSeconds();
      }
    }
    if (last == null || (lastBadEnd != null && lastBadEnd == last.atSeconds())) {
      return null;
    }
    return lastBadEnd == null ? 0.0 : round(lastBadEnd - from);
  }

  private static double round(double value) {
    return Math.round(value * 10) / 10.0;
  }
}
