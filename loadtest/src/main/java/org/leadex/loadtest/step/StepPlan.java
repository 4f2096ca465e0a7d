package org.leadex.loadtest.step;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The rates a step run tries, lowest first, each {@code repeats} times in a row. Pure.
 *
 * <p>Near the edge a server's fate is bimodal (it copes, or it collapses and stays collapsed), so
 * one pass at a rate proves little; repeating each step makes a lucky pass less likely to be
 * reported as capacity.
 */
public record StepPlan(double from, double to, double by, int repeats, Duration stepDuration) {

  /** One step: the rate and which repeat of it (1-based). */
  public record Step(double rate, int repeat) {
  }

  public StepPlan {
    if (from <= 0 || to < from || by <= 0) {
      throw new IllegalArgumentException(
          "steps need 0 < --step-from <= --step-to and --step-by > 0");
    }
    if (repeats < 1) {
      throw new IllegalArgumentException("--step-repeats must be at least 1");
    }
    if (stepDuration.isNegative() || stepDuration.isZero()) {
      throw new IllegalArgumentException("--step-duration must be positive");
    }
  }

  public List<Step> steps() {
    List<Step> steps = new ArrayList<>();
    long count = (long) Math.floor((to - from) / by + 1e-9) + 1;
    for (long i = 0; i < count; i++) {
      double rate = from + i * by;
      for (int r = 1; r <= repeats; r++) {
        steps.add(new Step(rate, r));
      }
    }
    return steps;
  }

  /** Arrivals the whole plan would send if no step failed. */
  public double arrivalsIfAllRun() {
    return steps().stream().mapToDouble(s -> s.rate() * stepDuration.toMillis() / 1000.0).sum();
  }
}
