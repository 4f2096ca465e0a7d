package org.leadex.loadtest.step;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.leadex.loadtest.report.LatencySummary;
import org.leadex.loadtest.report.OperationReport;
import org.leadex.loadtest.report.PhaseReport;

class StepLogicTest {

  @Test
  void aPlanRunsEachRateItsRepeatsLowestFirst() {
    List<StepPlan.Step> steps = new StepPlan(100, 300, 100, 2, Duration.ofSeconds(10)).steps();
    assertEquals(List.of(new StepPlan.Step(100, 1), new StepPlan.Step(100, 2),
        new StepPlan.Step(200, 1), new StepPlan.Step(200, 2), new StepPlan.Step(300, 1),
        new StepPlan.Step(300, 2)), steps);
    assertEquals(2 * (1000 + 2000 + 3000), new StepPlan(100, 300, 100, 2, Duration.ofSeconds(10))
        .arrivalsIfAllRun(), 1e-6);
    assertEquals(3, new StepPlan(0.1, 0.3, 0.1, 1, Duration.ofSeconds(1)).steps().size(),
        "floating-point steps include the last rate");
    assertThrows(IllegalArgumentException.class,
        () -> new StepPlan(300, 100, 100, 1, Duration.ofSeconds(1)));
  }

  @Test
  void aRateIsSustainableOnlyIfAllItsRepeatsAndAllLowerRatesPassed() {
    List<StepRow> rows = List.of(row(100, 1, "pass"), row(100, 2, "pass"), row(200, 1, "pass"),
        row(200, 2, "fail"), row(300, 1, "skipped"));
    assertEquals(100.0, StepSummary.highestSustainableRate(rows, 2).orElse(-1));
    assertTrue(StepSummary.highestSustainableRate(List.of(row(100, 1, "fail")), 1).isEmpty());
    assertEquals(200.0, StepSummary.highestSustainableRate(
        List.of(row(100, 1, "pass"), row(200, 1, "pass")), 1).orElse(-1));
  }

  @Test
  void thresholdsJudgeP99ErrorRateAndTheGeneratorsOwnPace() {
    Thresholds limits = new Thresholds(200, 0.01, "ping");
    assertTrue(limits.judge(report(150, 0, 500, 500)).pass());
    Thresholds.Verdict slow = limits.judge(report(250, 0, 500, 500));
    assertFalse(slow.pass());
    assertTrue(slow.reason().contains("p99 250.0 ms > 200.0 ms"), slow.reason());
    Thresholds.Verdict errors = limits.judge(report(150, 20, 500, 500));
    assertFalse(errors.pass());
    assertTrue(errors.reason().contains("error rate 2.00%"), errors.reason());
    Thresholds.Verdict lagging = limits.judge(report(150, 0, 500, 400));
    assertFalse(lagging.pass());
    assertTrue(lagging.reason().contains("generator"), lagging.reason());
    assertThrows(IllegalArgumentException.class, () -> new Thresholds(200, 0.01, "pong"));
  }

  @Test
  void pingsAnsweredWithoutTheirBidsFailAStepOnlyWhenTheRuleIsOn() {
    // A fan-out past its capacity answers at its deadline, on time, with no bid: p99 passes.
    PhaseReport collapsed = report(155, 0, 500, 500, Map.of("bid", 700L, "no_bid", 300L));
    Thresholds withRule = new Thresholds(200, 0.01, "ping", 0.01);
    Thresholds.Verdict verdict = withRule.judge(collapsed);
    assertFalse(verdict.pass());
    assertTrue(verdict.reason().contains("no-bid answers 30.00% > 1.00%"), verdict.reason());
    assertTrue(new Thresholds(200, 0.01, "ping").judge(collapsed).pass(), "off by default");
    assertTrue(withRule.judge(report(155, 0, 500, 500, Map.of("bid", 995L, "no_bid", 5L))).pass(),
        "0.5 % no-bid is within 1 %");
    assertEquals(0.3, Thresholds.noBidRate(collapsed), 1e-9);
    assertThrows(IllegalArgumentException.class, () -> new Thresholds(200, 0.01, "ping", 1.5));
  }

  private static StepRow row(double rate, int repeat, String status) {
    return new StepRow(0, rate, repeat, status, null, rate, 0, 0, 0, 0, 0, null);
  }

  private static PhaseReport report(double p99, long errors, double target, double achieved) {
    return report(p99, errors, target, achieved, Map.of());
  }

  private static PhaseReport report(double p99, long errors, double target, double achieved,
      Map<String, Long> outcomes) {
    LatencySummary latency = new LatencySummary(1000, p99 / 2, p99 / 2, p99 / 2, p99, p99, p99,
        p99);
    OperationReport ping = new OperationReport(1000, 1000, errors, errors / 1000.0, outcomes,
        Map.of(), latency, latency, 1000 - errors, 0, LatencySummary.of(new org.HdrHistogram.Histogram(3)));
    return new PhaseReport("step", "completed", target, 2, 1000, achieved, 0.1, latency,
        Map.of("ping", ping), null, List.of(), Map.of(), Map.of(), Map.of());
  }
}
