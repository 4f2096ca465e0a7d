package org.leadex.loadtest.support;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.leadex.loadtest.engine.EngineSettings;
import org.leadex.loadtest.engine.OpenLoopEngine;
import org.leadex.loadtest.engine.Phase;
import org.leadex.loadtest.engine.Run;
import org.leadex.loadtest.report.PhaseReport;
import org.leadex.loadtest.traffic.LeadFactory;
import org.leadex.loadtest.traffic.LeadProfile;
import org.leadex.loadtest.traffic.RequestBodies;
import org.leadex.loadtest.traffic.TrafficMix;

/** Runs the real generator in-process against a test server and returns its measured phase. */
public final class Generate {
  private Generate() {
  }

  public static EngineSettings settings(String url, int connections, double postRatio,
      long deadlineMs) {
    LeadProfile profile = new LeadProfile(LeadProfile.parseStates("CA,NV,TX"), 21, 70, List.of(),
        Map.of(), 1);
    return new EngineSettings(URI.create(url), "test-key", connections, 1, Duration.ofSeconds(10),
        Duration.ZERO, 1_000_000, deadlineMs, new TrafficMix(0, postRatio, 7),
        new LeadFactory(profile, 7), new RequestBodies("auto-insurance", "test", false), null);
  }

  /** Pings only (no posts), at {@code rate} for {@code seconds}, after an optional warmup ramp. */
  public static PhaseReport pings(String url, double rate, double seconds, double warmupSeconds,
      int connections) {
    return run(settings(url, connections, 0, 150), rate, seconds, warmupSeconds);
  }

  public static PhaseReport run(EngineSettings settings, double rate, double seconds,
      double warmupSeconds) {
    try (OpenLoopEngine engine = OpenLoopEngine.start(settings)) {
      List<Phase> phases = new ArrayList<>();
      if (warmupSeconds > 0) {
        phases.add(Phase.warmup(rate, Duration.ofMillis((long) (warmupSeconds * 1000))));
      }
      phases.add(Phase.measured("run", rate, Duration.ofMillis((long) (seconds * 1000)), false, 1));
      Run run = engine.run(phases);
      PhaseReport report = PhaseReport.of(run.finals().get(phases.size() - 1).join());
      run.finished().join();
      return report;
    }
  }
}
