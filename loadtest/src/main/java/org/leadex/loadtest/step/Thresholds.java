package org.leadex.loadtest.step;

import java.util.Locale;
import org.leadex.loadtest.report.OperationReport;
import org.leadex.loadtest.report.PhaseReport;

/**
 * When a step counts as sustainable. Pure.
 *
 * @param maxP99Ms the step fails when the chosen operation's p99 latency is above this
 * @param maxErrorRate the step fails when errors / ended requests (all operations) is above this
 * @param metric the operation whose p99 is judged: {@code ping}, {@code post}, {@code direct},
 *     or {@code worst} (the highest p99 of all); {@code ping} falls back to {@code worst} when a
 *     run sends no pings
 * @param maxNoBidRate the step fails when the share of completed pings answered {@code no_bid} is
 *     above this (1 turns the rule off). A fan-out past its capacity still answers on time, at its
 *     deadline, but without the bids its buyers sent: the timer fires before their answers are
 *     read. p99 cannot see that (a deadline-bounded answer is never late), the bids can, when the
 *     buyers are known to bid on nearly every ping, as the bench's simulated buyers do.
 */
public record Thresholds(double maxP99Ms, double maxErrorRate, String metric, double maxNoBidRate) {
  /** A step whose arrivals went out slower than this share of the target did not test the rate. */
  static final double MIN_ACHIEVED_SHARE = 0.95;

  /** The rules without the no-bid one. */
  public Thresholds(double maxP99Ms, double maxErrorRate, String metric) {
    this(maxP99Ms, maxErrorRate, metric, 1);
  }

  public Thresholds {
    if (maxP99Ms <= 0 || maxErrorRate < 0 || maxErrorRate > 1 || maxNoBidRate < 0 || maxNoBidRate > 1) {
      throw new IllegalArgumentException(
          "--max-p99-ms must be positive, --max-error-rate and --max-no-bid-rate in 0..1");
    }
    if (!metric.equals("ping") && !metric.equals("post") && !metric.equals("direct")
        && !metric.equals("worst")) {
      throw new IllegalArgumentException("--step-metric is ping, post, direct or worst");
    }
  }

  /** @param pass whether the step was sustainable; {@code reason} says why not */
  public record Verdict(boolean pass, String reason, double p99Ms, double errorRate) {
  }

  public Verdict judge(PhaseReport step) {
    double p99 = p99(step);
    double errorRate = step.errorRate();
    if (!step.status().equals("completed")) {
      return new Verdict(false, "did not complete (" + step.status() + ")", p99, errorRate);
    }
    if (step.achievedRate() < MIN_ACHIEVED_SHARE * step.targetRate()) {
      return new Verdict(false, String.format(Locale.ROOT,
          "generator sent only %.1f/s: the generator is short of CPU", step.achievedRate()),
          p99, errorRate);
    }
    if (errorRate > maxErrorRate) {
      return new Verdict(false, String.format(Locale.ROOT, "error rate %.2f%% > %.2f%%",
          errorRate * 100, maxErrorRate * 100), p99, errorRate);
    }
    if (p99 > maxP99Ms) {
      return new Verdict(false, String.format(Locale.ROOT, "%s p99 %.1f ms > %.1f ms",
          metricName(step), p99, maxP99Ms), p99, errorRate);
    }
    double noBidRate = noBidRate(step);
    if (noBidRate > maxNoBidRate) {
      return new Verdict(false, String.format(Locale.ROOT, "no-bid answers %.2f%% > %.2f%%",
          noBidRate * 100, maxNoBidRate * 100), p99, errorRate);
    }
    return new Verdict(true, null, p99, errorRate);
  }

  private String metricName(PhaseReport step) {
    return metric.equals("ping") && !step.operations().containsKey("ping") ? "worst" : metric;
  }

  /** Pings answered {@code no_bid}, as a share of the pings that completed (0 without pings). */
  static double noBidRate(PhaseReport step) {
    OperationReport ping = step.operations().get("ping");
    if (ping == null || ping.completed() == 0) {
      return 0;
    }
    return ping.outcomes().getOrDefault("no_bid", 0L) / (double) ping.completed();
  }

  double p99(PhaseReport step) {
    String name = metricName(step);
    if (name.equals("worst")) {
      return step.operations().values().stream().mapToDouble(o -> o.latencyMs().p99()).max()
          .orElse(0);
    }
    OperationReport op = step.operations().get(name);
    return op == null ? 0 : op.latencyMs().p99();
  }
}
