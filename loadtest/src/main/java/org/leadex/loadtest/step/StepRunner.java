package org.leadex.loadtest.step;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.Consumer;
import org.leadex.loadtest.engine.OpenLoopEngine;
import org.leadex.loadtest.engine.Phase;
import org.leadex.loadtest.engine.Run;
import org.leadex.loadtest.measure.PhaseStats;
import org.leadex.loadtest.report.OperationReport;
import org.leadex.loadtest.report.PhaseReport;
import org.leadex.loadtest.report.ReportFiles;

/**
 * Raises the rate step by step until a step is not sustainable, and reports the highest rate that
 * was. The steps run back to back on one schedule (no pause between them, so a server that falls
 * behind is not given time to recover); each step is judged once all its requests have ended, and
 * the first failure stops the run, cutting short the step then in progress.
 *
 * <p>Threading: {@link #run} blocks its calling thread (never an event loop) until the end.
 */
public final class StepRunner {
  private final OpenLoopEngine engine;
  private final StepPlan plan;
  private final Thresholds thresholds;
  private final PrintStream out;

  public StepRunner(OpenLoopEngine engine, StepPlan plan, Thresholds thresholds, PrintStream out) {
    this.engine = engine;
    this.plan = plan;
    this.thresholds = thresholds;
    this.out = out;
  }

  /** What a step run found. */
  public record Result(List<StepRow> rows, OptionalDouble highestSustainableRate,
      String stopReason) {
  }

  /**
   * @param warmup a ramp up to the first step's rate before the first step (not judged)
   * @param reportDir where to write the per-step reports and the step table; null for none
   * @param onStart receives the run as soon as it starts (to stop it on Ctrl-C)
   */
  public Result run(Duration warmup, boolean poisson, long seed, Path reportDir,
      Map<String, Object> settings, Consumer<Run> onStart) throws IOException {
    List<StepPlan.Step> steps = plan.steps();
    List<Phase> phases = new ArrayList<>();
    if (!warmup.isZero()) {
      phases.add(Phase.warmup(plan.from(), warmup));
    }
    int firstStep = phases.size();
    for (int i = 0; i < steps.size(); i++) {
      StepPlan.Step s = steps.get(i);
      phases.add(Phase.measured(name(i, s), s.rate(), plan.stepDuration(), poisson, seed + i));
    }
    Run run = engine.run(phases);
    onStart.accept(run);
    out.println(header());
    List<StepRow> rows = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      PhaseStats stats = run.finals().get(firstStep + i).join();
      PhaseReport report = PhaseReport.of(stats);
      StepPlan.Step s = steps.get(i);
      String dir = String.format(Locale.ROOT, "step-%02d-%s-per-s-r%d", i + 1, rate(s.rate()),
          s.repeat());
      StepRow row;
      if (report.status().equals("not_run") || report.status().equals("truncated")) {
        row = new StepRow(i + 1, s.rate(), s.repeat(), "skipped",
            "run stopped: " + run.stopReason(), report.achievedRate(), report.arrivals(), 0, 0, 0,
            report.errorRate(), null);
      } else {
        Thresholds.Verdict verdict = thresholds.judge(report);
        OperationReport judged = judgedOperation(report);
        row = new StepRow(i + 1, s.rate(), s.repeat(), verdict.pass() ? "pass" : "fail",
            verdict.reason(), report.achievedRate(), report.arrivals(),
            judged == null ? 0 : judged.latencyMs().p50(), verdict.p99Ms(),
            judged == null ? 0 : judged.latencyMs().max(), verdict.errorRate(),
            reportDir == null ? null : dir + "/report.html");
        if (!verdict.pass()) {
          run.stop("step " + (i + 1) + " failed: " + verdict.reason());
        }
        if (reportDir != null) {
          ReportFiles.write(reportDir.resolve(dir), "Step " + (i + 1) + ": " + rate(s.rate())
              + "/s", settings, report, null);
        }
      }
      rows.add(row);
      out.println(line(row));
    }
    run.finished().join();
    OptionalDouble highest = StepSummary.highestSustainableRate(rows, plan.repeats());
    out.println(highest.isPresent()
        ? "highest sustainable rate: " + rate(highest.getAsDouble()) + "/s"
        : "no step was sustainable (even " + rate(plan.from()) + "/s failed)");
    if (run.stopReason() != null) {
      out.println("stopped: " + run.stopReason());
    }
    Result result = new Result(List.copyOf(rows), highest, run.stopReason());
    if (reportDir != null) {
      write(reportDir, settings, result);
    }
    return result;
  }

  private OperationReport judgedOperation(PhaseReport report) {
    String metric = thresholds.metric();
    if (metric.equals("worst") || !report.operations().containsKey(metric)) {
      return report.operations().values().stream()
          .max((a, b) -> Double.compare(a.latencyMs().p99(), b.latencyMs().p99())).orElse(null);
    }
    return report.operations().get(metric);
  }

  private void write(Path dir, Map<String, Object> settings, Result result) throws IOException {
    Files.createDirectories(dir);
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("tool", "leadex-loadtest");
    summary.put("written_at", Instant.now().toString());
    summary.put("settings", settings);
    summary.put("thresholds", thresholds);
    summary.put("highest_sustainable_rate",
        result.highestSustainableRate().isPresent() ? result.highestSustainableRate().getAsDouble()
            : null);
    summary.put("stop_reason", result.stopReason());
    summary.put("steps", result.rows());
    ReportFiles.JSON.writeValue(dir.resolve("steps.json").toFile(), summary);
    Files.writeString(dir.resolve("steps.html"),
        StepHtml.render(settings, thresholds, result), StandardCharsets.UTF_8);
  }

  static String name(int index, StepPlan.Step s) {
    return "step " + (index + 1) + " (" + rate(s.rate()) + "/s"
        + (s.repeat() > 1 ? " #" + s.repeat() : "") + ")";
  }

  static String rate(double rate) {
    return rate == Math.rint(rate) ? String.valueOf((long) rate) : String.valueOf(rate);
  }

  private String header() {
    return String.format(Locale.ROOT, "%4s %9s %3s %9s %9s %9s %9s %9s  %s", "step", "rate/s", "#",
        "sent/s", "p50 ms", "p99 ms", "max ms", "errors", "verdict");
  }

  private static String line(StepRow r) {
    return String.format(Locale.ROOT, "%4d %9s %3d %9.1f %9.1f %9.1f %9.1f %8.2f%%  %s%s",
        r.step(), rate(r.rate()), r.repeat(), r.achievedRate(), r.p50Ms(), r.p99Ms(), r.maxMs(),
        r.errorRate() * 100, r.status(), r.reason() == null ? "" : ": " + r.reason());
  }
}
