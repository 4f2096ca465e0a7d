package org.leadex.loadtest;

import java.net.URI;
import java.time.Duration;
import org.leadex.loadtest.engine.RateProfile;
import picocli.CommandLine.Option;

/**
 * The generator's overload scenarios: a surge (the rate times a multiple for a window) or a buyer
 * storm (a share of the simulator's buyers hang for a window), and how their results are judged.
 * A picocli mixin of {@link GeneratorCommand}.
 */
final class ScenarioOptions {
  @Option(names = "--surge-at", paramLabel = "S",
      description = "Surge: the surge begins S seconds into the measured run (after --warmup).")
  Double surgeAt;

  @Option(names = "--surge-for", paramLabel = "S",
      description = "Surge: it lasts S seconds; the run then goes back to --rate until "
          + "--duration ends.")
  Double surgeFor;

  @Option(names = "--surge-multiple", defaultValue = "2", paramLabel = "M",
      description = "Surge: the rate during the surge is M x --rate (default: ${DEFAULT-VALUE}).")
  double surgeMultiple;

  @Option(names = "--storm-at", paramLabel = "S",
      description = "Buyer storm: at S seconds into the measured run, ask the buyer simulator "
          + "(--storm-url) to make --storm-share of its buyers hang.")
  Double stormAt;

  @Option(names = "--storm-for", paramLabel = "S",
      description = "Buyer storm: for S seconds; the rate stays --rate throughout.")
  Double stormFor;

  @Option(names = "--storm-share", defaultValue = "0.5", paramLabel = "R",
      description = "Buyer storm: share (0..1] of the buyers that hang (default: "
          + "${DEFAULT-VALUE}).")
  double stormShare;

  @Option(names = "--storm-url", paramLabel = "URL",
      description = "Buyer storm: the simulator's storm control, e.g. "
          + "http://127.0.0.1:9100/control/storm.")
  URI stormUrl;

  @Option(names = "--shed-limit-ms", defaultValue = "5", paramLabel = "MS",
      description = "Surge/storm: a 503 overloaded counts as a fast refusal within this "
          + "(default: ${DEFAULT-VALUE}).")
  double shedLimitMs;

  @Option(names = "--recovery-margin", defaultValue = "0.1", paramLabel = "R",
      description = "Surge/storm: p99 and goodput are back once within this share of their "
          + "value before the window (default: ${DEFAULT-VALUE}).")
  double recoveryMargin;

  /** The surge or storm asked for, or null; refuses conflicting or incomplete flags. */
  RateProfile profile(double rate, double duration, boolean stepMode) {
    boolean surge = surgeAt != null || surgeFor != null;
    boolean storm = stormAt != null || stormFor != null;
    if (!surge && !storm) {
      return null;
    }
    if (surge && storm) {
      throw new IllegalArgumentException("a run has a surge or a buyer storm, not both");
    }
    if (stepMode) {
      throw new IllegalArgumentException("step mode has no surge or storm");
    }
    if (surge && (surgeAt == null || surgeFor == null)) {
      throw new IllegalArgumentException("a surge needs --surge-at and --surge-for");
    }
    if (storm && (stormAt == null || stormFor == null || stormUrl == null)) {
      throw new IllegalArgumentException("a buyer storm needs --storm-at, --storm-for and "
          + "--storm-url");
    }
    if (storm && !(stormShare > 0 && stormShare <= 1)) {
      throw new IllegalArgumentException("--storm-share is in (0, 1]");
    }
    if (recoveryMargin < 0 || recoveryMargin >= 1 || shedLimitMs <= 0) {
      throw new IllegalArgumentException("--recovery-margin is in [0, 1) and --shed-limit-ms "
          + "positive");
    }
    return surge
        ? new RateProfile(rate, seconds(duration), seconds(surgeAt), seconds(surgeFor),
            surgeMultiple, "surge")
        : new RateProfile(rate, seconds(duration), seconds(stormAt), seconds(stormFor), 1,
            "storm");
  }

  private static Duration seconds(double s) {
    return Duration.ofNanos(Math.round(s * 1e9));
  }

  /** The scenario's options as they go into the reports (nothing without a scenario). */
  void describe(java.util.Map<String, Object> s) {
    if (surgeAt != null) {
      s.put("surge_at_s", surgeAt);
      s.put("surge_for_s", surgeFor);
      s.put("surge_multiple", surgeMultiple);
    }
    if (stormAt != null) {
      s.put("storm_at_s", stormAt);
      s.put("storm_for_s", stormFor);
      s.put("storm_share", stormShare);
      s.put("storm_url", String.valueOf(stormUrl));
    }
    if (surgeAt != null || stormAt != null) {
      s.put("shed_limit_ms", shedLimitMs);
      s.put("recovery_margin", recoveryMargin);
    }
  }
}
