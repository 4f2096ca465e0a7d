package org.leadex.loadtest.report;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.leadex.loadtest.measure.OperationStats;
import org.leadex.loadtest.measure.PhaseStats;
import org.leadex.loadtest.measure.SecondSample;
import org.leadex.loadtest.traffic.Operation;

/**
 * The final results of one phase, immutable, as they go into the console, JSON and HTML reports.
 *
 * @param status {@code completed}; {@code truncated} when the run was stopped during the phase;
 *     {@code not_run} when it was stopped before
 * @param arrivals pings plus direct posts sent on the schedule (posts follow bids, off schedule)
 * @param achievedRate arrivals per second actually sent, from the first send to the last
 * @param generatorCores CPU cores the generator process used meanwhile (-1: unknown)
 * @param generatorStartLagMs from each arrival's intended send time to the moment an event loop
 *     started it: the generator's own delay, included in every latency; if its p99 is more than a
 *     millisecond or two, the generator is short of CPU and the run is suspect
 * @param perSecond the monitor's samples, about one a second, for the time plots
 */
public record PhaseReport(String name, String status, double targetRate, double durationSeconds,
    long arrivals, double achievedRate, double generatorCores, LatencySummary generatorStartLagMs,
    Map<String, OperationReport> operations, DeadlineReport deadline,
    List<SecondSample> perSecond,
    @JsonIgnore Map<String, Histogram> latencyHistograms,
    @JsonIgnore Map<String, Histogram> serviceHistograms,
    @JsonIgnore Map<String, Histogram> shedHistograms) {

  /** Builds the report of a final phase (see {@link org.leadex.loadtest.engine.Run#finals}). */
  public static PhaseReport of(PhaseStats stats) {
    Map<String, OperationReport> operations = new LinkedHashMap<>();
    Map<String, Histogram> latency = new LinkedHashMap<>();
    Map<String, Histogram> service = new LinkedHashMap<>();
    Map<String, Histogram> shed = new LinkedHashMap<>();
    for (Operation op : Operation.values()) {
      OperationStats s = stats.operation(op);
      if (s.sent() == 0) {
        continue;
      }
      long completed = s.completed();
      operations.put(op.label(), new OperationReport(s.sent(), completed, s.errors(),
          completed == 0 ? 0 : round4((double) s.errors() / completed), s.outcomes(),
          s.unsoldReasons(), LatencySummary.of(s.totalLatency()),
          LatencySummary.of(s.totalService()), s.goodput(), s.shed(),
          LatencySummary.of(s.totalShed())));
      latency.put(op.label(), s.totalLatency().copy());
      service.put(op.label(), s.totalService().copy());
      shed.put(op.label(), s.totalShed().copy());
    }
    OperationStats pings = stats.operation(Operation.PING);
    DeadlineReport deadline = pings.deadlineMillis() <= 0 ? null
        : new DeadlineReport(pings.deadlineMillis(), pings.completed(), pings.overDeadline(),
            pings.overDeadlinePlus10());
    String status = !stats.wasRun() ? "not_run" : stats.truncated() ? "truncated" : "completed";
    long arrivals = stats.arrivals();
    double span = (stats.lastSendNanos() - stats.firstSendNanos()) / 1e9;
    double achieved = arrivals > 1 && span > 0 ? (arrivals - 1) / span : 0;
    return new PhaseReport(stats.phase().name(), status, stats.phase().ratePerSecond(),
        stats.phase().duration().toMillis() / 1000.0, arrivals, Math.round(achieved * 10) / 10.0,
        Math.round(stats.generatorCores() * 1000) / 1000.0,
        LatencySummary.of(stats.totalStartLag()),
        Collections.unmodifiableMap(operations), deadline, List.copyOf(stats.seconds()),
        Collections.unmodifiableMap(latency), Collections.unmodifiableMap(service),
        Collections.unmodifiableMap(shed));
  }

  /** All errors over all completed requests. */
  @JsonProperty("error_rate")
  public double errorRate() {
    long completed = operations.values().stream().mapToLong(OperationReport::completed).sum();
    long errors = operations.values().stream().mapToLong(OperationReport::errors).sum();
    return completed == 0 ? 0 : round4((double) errors / completed);
  }

  private static double round4(double value) {
    return Math.round(value * 10_000) / 10_000.0;
  }
}
