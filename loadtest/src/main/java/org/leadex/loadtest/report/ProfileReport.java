package org.leadex.loadtest.report;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.ArrayList;
import java.util.List;
import org.leadex.loadtest.engine.RateProfile;

/**
 * The results of a rate-profile run (a surge or a buyer storm), immutable: the whole measured run
 * as one report (its per-second series crosses the phases), the figures of each phase, and the
 * recovery after the window.
 *
 * @param kind {@code surge} or {@code storm}
 * @param shedLimitMs a 503 counts as a fast refusal when it came within this
 * @param whole the whole measured run: every ping of the three phases, one per-second series
 * @param phases before, the window, after
 * @param control for a storm, what the buyer simulator answered to the storm request (or why it
 *     could not be asked); null for a surge
 * @param controlAtSeconds for a storm, when it was asked on the whole run's clock; null if never
 */
public record ProfileReport(String kind, double baseRate, double multiple, double windowAtSeconds,
    double windowForSeconds, double durationSeconds, double shedLimitMs, PhaseReport whole,
    List<PhaseFigures> phases, Recovery recovery, String control, Double controlAtSeconds,
    @JsonIgnore List<PhaseReport> phaseReports) {

  public static ProfileReport of(RateProfile profile, double shedLimitMs, double recoveryMargin,
      PhaseReport whole, List<PhaseReport> phaseReports, String control,
      Double controlAtSeconds) {
    List<PhaseFigures> figures = new ArrayList<>();
    double start = 0;
    for (PhaseReport phase : phaseReports) {
      figures.add(PhaseFigures.of(phase, profile.baseRate(), shedLimitMs, start,
          whole.perSecond()));
      start += phase.durationSeconds();
    }
    double at = seconds(profile.windowAt());
    double length = seconds(profile.windowFor());
    PhaseReport before = phaseReports.get(0);
    OperationReport beforePings = before.operations().get("ping");
    double referenceP99 = beforePings == null ? 0 : beforePings.latencyMs().p99();
    double referenceGoodput = figures.get(0).goodputPerSecond();
    Recovery recovery = Recovery.of(whole.perSecond(), at + length, seconds(profile.total()),
        referenceP99, referenceGoodput, recoveryMargin);
    return new ProfileReport(profile.windowName(), profile.baseRate(), profile.multiple(), at,
        length, seconds(profile.total()), shedLimitMs, whole, List.copyOf(figures), recovery,
        control, controlAtSeconds, List.copyOf(phaseReports));
  }

  private static double seconds(java.time.Duration d) {
    return d.toMillis() / 1000.0;
  }
}
