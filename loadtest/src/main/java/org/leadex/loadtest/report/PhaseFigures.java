package org.leadex.loadtest.report;

import java.util.List;
import org.HdrHistogram.Histogram;
import org.leadex.loadtest.measure.SecondSample;

/**
 * One phase of a rate profile (before, surge or storm, after) in the terms of the overload
 * targets, for pings: how many got a usable answer in time (goodput), how many were refused fast
 * (shed), and how many got neither. Immutable.
 *
 * @param name {@code before}, {@code surge} / {@code storm}, {@code after}
 * @param pings pings sent on the phase's schedule
 * @param goodput pings answered {@code bid} or {@code no_bid} within the deadline + 10 ms
 * @param goodputPerSecond goodput over the phase's length
 * @param goodputShareOfBase goodput per second over the profile's base rate: with the base at the
 *     highest sustainable rate, the surge target is ≥ 0.9
 * @param shed pings answered 503 {@code overloaded}
 * @param shedWithinLimit of those, the ones answered within {@code shedLimitMs}
 * @param shedLatencyMs the latency spectrum of the shed ones
 * @param neither pings that were neither goodput nor shed within the limit: late answers, slow
 *     503s, other errors and timeouts; the target is 0
 * @param timeouts of those, the ones the generator gave up on
 * @param latencyMs every ping's latency from its intended send time, shed ones included
 * @param buyerConnectionsPerSecond mean TCP connections opened to the buyers per second, over the
 *     seconds that ended in the phase (by time, not by ping); -1 when not watched
 * @param buyerConnectionsMaxPerSecond the busiest of those seconds; -1 when not watched
 * @param bidsPerSecond pings answered {@code bid} (in time or not) over the phase's length. Goodput
 *     counts a {@code no_bid} answer as a decision; with buyers that bid on nearly every ping, a
 *     fan-out past its capacity answers {@code no_bid} at its deadline, on time, because it read
 *     none of its buyers' bids: goodput stays up while the bids fall, and only this shows it
 */
public record PhaseFigures(String name, String status, double targetRate, double durationSeconds,
    long pings, long goodput, double goodputPerSecond, double goodputShareOfBase, long shed,
    long shedWithinLimit, LatencySummary shedLatencyMs, long neither, long timeouts,
    LatencySummary latencyMs, double buyerConnectionsPerSecond,
    long buyerConnectionsMaxPerSecond, double bidsPerSecond) {

  /**
   * @param phase the phase's report
   * @param startSeconds where the phase begins on the whole run's clock
   * @param whole the whole run's per-second series (for the connection counts)
   */
  public static PhaseFigures of(PhaseReport phase, double baseRate, double shedLimitMs,
      double startSeconds, List<SecondSample> whole) {
    OperationReport ping = phase.operations().get("ping");
    Histogram shedHistogram = phase.shedHistograms().get("ping");
    long pings = ping == null ? 0 : ping.sent();
    long goodput = ping == null ? 0 : ping.goodput();
    long shed = ping == null ? 0 : ping.shed();
    long shedFast = shedHistogram == null || shed == 0 ? 0
        : shedHistogram.getCountBetweenValues(0, Math.round(shedLimitMs * 1000));
    long timeouts = ping == null ? 0 : ping.outcomes().getOrDefault("timeout", 0L);
    double perSecond = phase.durationSeconds() <= 0 ? 0 : goodput / phase.durationSeconds();
    double endSeconds = startSeconds + phase.durationSeconds();
    long connections = 0;
    long connectionsMax = -1;
    double seconds = 0;
    for (SecondSample s : whole) {
      if (s.atSeconds() > startSeconds && s.atSeconds() <= endSeconds
          && s.buyerConnectionsOpened() >= 0 && s.lengthSeconds() > 0.05) {
        connections += s.buyerConnectionsOpened();
        seconds += s.lengthSeconds();
        connectionsMax = Math.max(connectionsMax, Math.round(s.buyerConnectionsOpened() / s.lengthSeconds()));
      }
    }
    return new PhaseFigures(phase.name(), phase.status(), phase.targetRate(),
        phase.durationSeconds(), pings, goodput, round1(perSecond),
        Math.round(perSecond / baseRate * 1000) / 1000.0, shed, shedFast,
        ping == null ? LatencySummary.of(new Histogram(3)) : ping.shedLatencyMs(),
        pings == 0 ? 0 : Math.max(0, (ping == null ? 0 : ping.completed()) - goodput - shedFast),
        timeouts,
        ping == null ? LatencySummary.of(new Histogram(3)) : ping.latencyMs(),
        seconds > 0 ? round1(connections / seconds) : -1, connectionsMax,
        phase.durationSeconds() <= 0 || ping == null ? 0
            : round1(ping.outcomes().getOrDefault("bid", 0L) / phase.durationSeconds()));
  }

  private static double round1(double value) {
    return Math.round(value * 10) / 10.0;
  }
}
