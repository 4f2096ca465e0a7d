package org.leadex.loadtest;

import picocli.CommandLine.Option;

/**
 * Step mode: raise the rate step by step until p99 or the error rate crosses a threshold, and
 * report the highest sustainable rate. A picocli mixin of {@link GeneratorCommand}.
 */
final class StepOptions {
  @Option(names = "--step-from", paramLabel = "N", description = "Step mode: first rate.")
  Double stepFrom;

  @Option(names = "--step-to", paramLabel = "N", description = "Step mode: last rate.")
  Double stepTo;

  @Option(names = "--step-by", paramLabel = "N", description = "Step mode: rate increment.")
  Double stepBy;

  @Option(names = "--step-duration", defaultValue = "20", paramLabel = "S",
      description = "Step mode: seconds per step (default: ${DEFAULT-VALUE}).")
  double stepDuration;

  @Option(names = "--step-repeats", defaultValue = "1", paramLabel = "N",
      description = "Step mode: run each rate this many times in a row; a rate is sustainable "
          + "only if all pass (default: ${DEFAULT-VALUE}).")
  int stepRepeats;

  @Option(names = "--max-p99-ms", defaultValue = "200", paramLabel = "MS",
      description = "Step mode: a step fails when p99 latency is above this "
          + "(default: ${DEFAULT-VALUE}).")
  double maxP99Ms;

  @Option(names = "--max-error-rate", defaultValue = "0.01", paramLabel = "R",
      description = "Step mode: a step fails when errors / ended requests is above this "
          + "(default: ${DEFAULT-VALUE}).")
  double maxErrorRate;

  @Option(names = "--max-no-bid-rate", defaultValue = "1", paramLabel = "R",
      description = "Step mode: a step fails when the share of completed pings answered no_bid is "
          + "above this; for buyers that bid on nearly every ping, where a no-bid answer means "
          + "their bids were not read before the deadline (default: ${DEFAULT-VALUE}, off).")
  double maxNoBidRate;

  @Option(names = "--step-metric", defaultValue = "ping", paramLabel = "OP",
      description = "Step mode: whose p99 is judged: ping, post, direct or worst "
          + "(default: ${DEFAULT-VALUE}).")
  String stepMetric;


  /** These options as they go into the reports. */
  void describe(java.util.Map<String, Object> s) {
    s.put("step_from", stepFrom);
    s.put("step_to", stepTo);
    s.put("step_by", stepBy);
    s.put("step_duration_s", stepDuration);
    s.put("step_repeats", stepRepeats);
    s.put("max_p99_ms", maxP99Ms);
    s.put("max_error_rate", maxErrorRate);
    s.put("step_metric", stepMetric);
    s.put("max_no_bid_rate", maxNoBidRate);
  }
}
