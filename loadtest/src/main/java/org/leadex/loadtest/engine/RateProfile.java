package org.leadex.loadtest.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The measured part of a run as three phases on one schedule: a steady rate ({@code before}), a
 * window at {@code multiple} times that rate ({@code surge}; or at the same rate while something
 * else happens, such as a buyer storm), and the steady rate again ({@code after}). Pure.
 *
 * <p>Each phase's arrivals are fixed in advance by its rate alone, from the phase's start, as in
 * every other run: the schedule never waits for the server, so a server that falls behind in the
 * surge meets every request the surge sends, and each one is measured from its intended send time.
 * A request belongs to the phase its intended send time falls in; the per-second series across the
 * three (the whole run) is by completion time.
 *
 * @param baseRate arrivals per second before and after the window
 * @param total the whole measured run
 * @param windowAt when the window begins, from the start of the measured run
 * @param windowFor how long it lasts
 * @param multiple the rate in the window is {@code multiple × baseRate}
 * @param windowName the window phase's name: {@code surge} or {@code storm}
 */
public record RateProfile(double baseRate, Duration total, Duration windowAt, Duration windowFor,
    double multiple, String windowName) {

  public RateProfile {
    if (baseRate <= 0 || multiple <= 0) {
      throw new IllegalArgumentException("the rate and the multiple must be positive");
    }
    if (windowAt.isNegative() || windowAt.isZero() || windowFor.isNegative() || windowFor.isZero()
        || windowAt.plus(windowFor).compareTo(total) >= 0) {
      throw new IllegalArgumentException("the " + windowName + " must begin after the start of "
          + "the measured run and end before its end (0 < at, at + for < --duration): there is "
          + "no recovery to measure without a steady phase on both sides");
    }
  }

  public double windowRate() {
    return baseRate * multiple;
  }

  public Duration after() {
    return total.minus(windowAt).minus(windowFor);
  }

  /** Before, the window, after; {@code onWindowStart} runs as the window begins. */
  public List<Phase> phases(boolean poisson, long seed, Runnable onWindowStart) {
    List<Phase> phases = new ArrayList<>();
    phases.add(Phase.measured("before", baseRate, windowAt, poisson, seed));
    phases.add(Phase.measured(windowName, windowRate(), windowFor, poisson, seed + 1)
        .withOnStart(onWindowStart));
    phases.add(Phase.measured("after", baseRate, after(), poisson, seed + 2));
    return phases;
  }

  /** About how many arrivals the three phases send. */
  public double plannedArrivals() {
    return baseRate * (total.toNanos() - windowFor.toNanos()) / 1e9
        + windowRate() * windowFor.toNanos() / 1e9;
  }
}
