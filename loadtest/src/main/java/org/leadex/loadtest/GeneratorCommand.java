package org.leadex.loadtest;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;



import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.leadex.loadtest.engine.EngineSettings;
import org.leadex.loadtest.engine.OpenLoopEngine;
import org.leadex.loadtest.engine.OutcomeLog;
import org.leadex.loadtest.engine.Phase;
import org.leadex.loadtest.engine.RateProfile;
import org.leadex.loadtest.engine.Run;
import org.leadex.loadtest.engine.StormRequest;
import org.leadex.loadtest.measure.PhaseStats;
import org.leadex.loadtest.report.ConsoleReport;
import org.leadex.loadtest.report.PhaseReport;
import org.leadex.loadtest.report.ProfileReport;
import org.leadex.loadtest.report.ReportFiles;
import org.leadex.loadtest.step.StepPlan;
import org.leadex.loadtest.step.StepRunner;
import org.leadex.loadtest.step.Thresholds;
import org.leadex.loadtest.traffic.LeadFactory;
import org.leadex.loadtest.traffic.LeadProfile;
import org.leadex.loadtest.traffic.RequestBodies;
import org.leadex.loadtest.traffic.TrafficMix;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The generator's command line: flags to settings, then one run or a step run. */
@Command(name = "loadtest", mixinStandardHelpOptions = true, sortOptions = false,
    usageHelpWidth = 100, version = "leadex loadtest 0.1.0",
    description = {
        "Open-loop load generator for the lead exchange's seller API.",
        "Arrivals (pings and direct posts) leave on a fixed schedule, whatever the server does; "
            + "each request's latency runs from its intended send time (no coordinated omission).",
        "Progress goes to stderr once a second; the final report to stdout and, with --out, "
            + "to .hgrm, JSON and HTML files."},
    footer = {"", "Step mode: give --step-from, --step-to and --step-by (and optionally "
        + "--step-duration, --step-repeats, --max-p99-ms, --max-error-rate, --max-no-bid-rate) "
        + "instead of --rate.",
        "Surge: --surge-at S --surge-for S [--surge-multiple M]: --rate, then M x --rate, then "
            + "--rate again, within --duration.",
        "Buyer storm: --storm-at S --storm-for S --storm-url URL [--storm-share R]: a steady "
            + "--rate while the buyer simulator makes a share of its buyers hang.",
        "Subcommands: 'reference' (bare fan-out server), 'stand-in-buyers' (simple buyers)."})
final class GeneratorCommand implements Callable<Integer> {

  @Option(names = "--url", defaultValue = "http://127.0.0.1:8080", paramLabel = "URL",
      description = "Exchange base URL (default: ${DEFAULT-VALUE}).")
  String url;

  @Option(names = "--also-url", paramLabel = "URL",
      description = "Another instance of the same exchange, repeatable: requests go round robin "
          + "over --url and these, as through a balancer without health checks (a post usually "
          + "reaches another instance than its ping).")
  List<String> alsoUrls = new ArrayList<>();

  @Option(names = "--outcomes", paramLabel = "FILE",
      description = "Write every post's and direct post's answer to this CSV file (op, ping_id, "
          + "lead_id, http_status, outcome, price, reason), to compare with the ledger lead by lead.")
  Path outcomesFile;

  @Option(names = "--rate", defaultValue = "100", paramLabel = "N",
      description = "Arrivals per second: pings plus direct posts (default: ${DEFAULT-VALUE}). "
          + "Posts of bid pings come on top.")
  double rate;

  @Option(names = "--duration", defaultValue = "30", paramLabel = "S",
      description = "Measured seconds (default: ${DEFAULT-VALUE}).")
  double duration;

  @Option(names = "--warmup", defaultValue = "10", paramLabel = "S",
      description = "Seconds of warm-up before measuring, ramping from 0 to the (first) rate; "
          + "sent but not recorded (default: ${DEFAULT-VALUE}).")
  double warmup;

  @Option(names = "--connections", defaultValue = "200", paramLabel = "N",
      description = "HTTP/1.1 connections to the exchange, at most (default: ${DEFAULT-VALUE}). "
          + "When all are busy, requests queue and the wait counts in their latency.")
  int connections;

  @Option(names = "--event-loops", defaultValue = "1", paramLabel = "N",
      description = "Generator event loops (default: ${DEFAULT-VALUE}); one carries a few "
          + "thousand requests/s.")
  int eventLoops;

  @Option(names = "--campaign", defaultValue = "auto-insurance", paramLabel = "ID",
      description = "Campaign id (default: ${DEFAULT-VALUE}).")
  String campaign;

  @Option(names = "--seller-key", defaultValue = "${env:LEADEX_SELLER_KEY:-dev-seller-key}",
      paramLabel = "KEY", description = "Seller API key, sent as a Bearer token (default: "
          + "$LEADEX_SELLER_KEY, else 'dev-seller-key'). Prefer the variable: flags show in ps.")
  String sellerKey;

  @Option(names = "--source", defaultValue = "loadtest", paramLabel = "NAME",
      description = "Seller traffic source (default: ${DEFAULT-VALUE}).")
  String source;

  @Option(names = "--post-ratio", defaultValue = "0.8", paramLabel = "R",
      description = "Share (0..1) of bid pings that are posted (default: ${DEFAULT-VALUE}).")
  double postRatio;

  @Option(names = "--post-delay-ms", defaultValue = "0", paramLabel = "MS",
      description = "Delay between a bid answer and its post (default: ${DEFAULT-VALUE}).")
  long postDelayMs;

  @Option(names = "--direct-ratio", defaultValue = "0", paramLabel = "R",
      description = "Share (0..1) of arrivals that are direct posts to /v1/leads "
          + "(default: ${DEFAULT-VALUE}).")
  double directRatio;

  @Option(names = "--deadline-ms", defaultValue = "150", paramLabel = "MS",
      description = "The campaign's ping_timeout_ms: pings answered later are counted as "
          + "deadline misses, and later than deadline + 10 ms separately; 0 to skip "
          + "(default: ${DEFAULT-VALUE}).")
  long deadlineMs;

  @Option(names = "--states", defaultValue = "CA,NV,TX", paramLabel = "LIST",
      description = "Lead states, optionally weighted: CA:5,NV,TX (default: ${DEFAULT-VALUE}).")
  String states;

  @Option(names = "--age-min", defaultValue = "21", paramLabel = "N",
      description = "Youngest lead age (default: ${DEFAULT-VALUE}).")
  int ageMin;

  @Option(names = "--age-max", defaultValue = "70", paramLabel = "N",
      description = "Oldest lead age (default: ${DEFAULT-VALUE}).")
  int ageMax;

  @Option(names = "--zip-prefixes", split = ",", paramLabel = "LIST",
      description = "Zip codes begin with one of these prefixes (e.g. 902,891,75), the rest "
          + "random digits; default any zip 00501..99950.")
  List<String> zipPrefixes = new ArrayList<>();

  @Option(names = "--lead-field", paramLabel = "NAME=VALUE",
      description = "Extra non-PII lead field, repeatable (numbers and true/false stay typed), "
          + "e.g. --lead-field homeowner=true.")
  List<String> leadFields = new ArrayList<>();

  @Option(names = "--test-traffic",
      description = "Mark traffic \"test\": true (kept out of reports, caps, budgets, dedupe).")
  boolean testTraffic;

  @Option(names = "--hashes",
      description = "Pings carry \"hashes\" of the lead's phone and e-mail (dedupe and suppression at ping time).")
  boolean hashes;

  @Option(names = "--seed", defaultValue = "42", paramLabel = "N",
      description = "Seed for leads, the ping/direct mix and posting (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--run-id", paramLabel = "N",
      description = "Mixed into lead emails and phones so reruns are not duplicates of earlier "
          + "leads (default: minutes since 1970).")
  Long runId;

  @Option(names = "--arrivals", defaultValue = "constant", paramLabel = "KIND",
      description = "constant (evenly spaced) or poisson (random gaps, same mean) "
          + "(default: ${DEFAULT-VALUE}).")
  String arrivals;

  @Option(names = "--timeout-ms", defaultValue = "5000", paramLabel = "MS",
      description = "Give a request up this long after its intended send time; counted as a "
          + "timeout and recorded at this latency (default: ${DEFAULT-VALUE}).")
  long timeoutMs;

  @Option(names = "--out", paramLabel = "DIR",
      description = "Write reports here: <op>.hgrm, <op>-service.hgrm, summary.json, report.html "
          + "(steps: one directory per step, steps.json, steps.html).")
  Path out;

  @Option(names = "--max-requests", defaultValue = "2000000", paramLabel = "N",
      description = "Safety bound on arrivals for the whole run; a plan that would exceed it is "
          + "refused before it starts (default: ${DEFAULT-VALUE}).")
  long maxRequests;

  @Option(names = "--allow-remote",
      description = "Allow a target other than this machine (loopback only by default).")
  boolean allowRemote;

  @Option(names = "--quiet", description = "No progress line.")
  boolean quiet;

  @Mixin
  StepOptions step = new StepOptions();

  @Option(names = "--buyer-connections-url", paramLabel = "URL",
      description = "The buyer simulator's connection counter, e.g. "
          + "http://127.0.0.1:9100/stats/connections: the TCP connections the target opens to "
          + "its buyers go into the per-second series.")
  URI buyerConnectionsUrl;

  @Mixin
  ScenarioOptions scenario = new ScenarioOptions();

  @Mixin
  ReadinessWait readiness = new ReadinessWait();

  /** Where the final report goes (stdout); tests replace it. */
  PrintStream stdout = System.out;
  /** Where the progress line goes (stderr). */
  PrintStream stderr = System.err;
  /** The report of the last plain run, for tests. */
  PhaseReport lastReport;
  /** The result of the last step run, for tests. */
  StepRunner.Result lastStepResult;
  /** The report of the last surge or storm run, for tests. */
  ProfileReport lastProfileReport;

  @Override
  public Integer call() throws Exception {
    URI target = URI.create(url);
    List<URI> more = alsoUrls.stream().map(URI::create).toList();
    List<URI> all = new ArrayList<>(List.of(target));
    all.addAll(more);
    for (URI u : all) {
      if (!allowRemote && !isLoopback(u)) {
        stderr.println("refusing to load " + u.getHost() + ": not this machine "
            + "(use --allow-remote if you mean it)");
        return 2;
      }
    }
    boolean stepMode = step.stepFrom != null || step.stepTo != null || step.stepBy != null;
    if (stepMode && (step.stepFrom == null || step.stepTo == null || step.stepBy == null)) {
      stderr.println("step mode needs --step-from, --step-to and --step-by");
      return 2;
    }
    if (!arrivals.equals("constant") && !arrivals.equals("poisson")) {
      stderr.println("--arrivals is constant or poisson");
      return 2;
    }
    if (!stepMode && (rate <= 0 || duration <= 0)) {
      stderr.println("--rate and --duration must be positive");
      return 2;
    }
    if (warmup < 0) {
      stderr.println("--warmup cannot be negative");
      return 2;
    }
    RateProfile profile;
    try {
      profile = scenario.profile(rate, duration, stepMode);
    } catch (IllegalArgumentException e) {
      stderr.println(e.getMessage());
      return 2;
    }
    StepPlan plan = null;
    Thresholds thresholds = null;
    double firstRate = rate;
    double planned;
    try {
      if (stepMode) {
        plan = new StepPlan(step.stepFrom, step.stepTo, step.stepBy, step.stepRepeats, seconds(step.stepDuration));
        thresholds = new Thresholds(step.maxP99Ms, step.maxErrorRate, step.stepMetric, step.maxNoBidRate);
        firstRate = step.stepFrom;
        planned = plan.arrivalsIfAllRun();
      } else if (profile != null) {
        planned = profile.plannedArrivals();
      } else {
        planned = rate * duration;
      }
    } catch (IllegalArgumentException e) {
      stderr.println(e.getMessage());
      return 2;
    }
    planned += firstRate * warmup / 2; // a ramp sends half of the flat amount
    if (planned > maxRequests) {
      stderr.printf("this plan sends about %.0f requests, more than --max-requests %d; "
          + "raise --max-requests deliberately if that is meant%n", planned, maxRequests);
      return 2;
    }

    EngineSettings settings;
    OutcomeLog outcomes = outcomesFile == null ? null : OutcomeLog.open(outcomesFile);
    try {
      settings = engineSettings(target, more, outcomes);
    } catch (IllegalArgumentException e) {
      stderr.println(e.getMessage());
      if (outcomes != null) {
        outcomes.close();
      }
      return 2;
    }
    Map<String, Object> described = describe(stepMode);
    if (readiness.waitReady && readiness.selfWarmup > 0) {
      try {
        long sent = SelfWarmup.run(settings, firstRate, seconds(readiness.selfWarmup));
        stderr.println("warmed the generator: " + sent + " pings answered by a stub of its own in " + readiness.selfWarmup + " s");
        described.put("self_warmup_s", readiness.selfWarmup);
      } catch (Exception e) {
        stderr.println("the generator's own warm-up failed: " + e);
        return 1;
      }
    }
    try (OutcomeLog closing = outcomes; OpenLoopEngine engine = OpenLoopEngine.start(settings)) {
      if (readiness.waitReady) {
        // bench.sh waits for this line before it starts the target.
        stderr.println("waiting for " + target + " to say ready (GET /health 200)");
        stderr.flush();
        long waitedMs = readiness.waitUntilReady(target);
        if (waitedMs < 0) {
          stderr.println("the target did not say ready (GET /health 200) within " + readiness.readyTimeout
              + " s");
          return 1;
        }
        described.put("waited_for_ready_ms", waitedMs);
        if (readiness.readyAtFirstAsk) {
          stderr.println("warning: the target was ready at the first ask, so this is not a "
              + "cold start: start the generator before the target");
        }
        described.put("ready_at_first_ask", readiness.readyAtFirstAsk);
      }
      AtomicReference<Run> running = new AtomicReference<>();
      CountDownLatch reported = new CountDownLatch(1);
      Thread hook = new Thread(() -> {
        Run run = running.get();
        if (run != null && !run.finished().isDone()) {
          run.stop("interrupted");
          try {
            reported.await(timeoutMs + 5_000, TimeUnit.MILLISECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      }, "loadtest-interrupt");
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        if (stepMode) {
          lastStepResult = new StepRunner(engine, plan, thresholds, stdout)
              .run(seconds(warmup), arrivals.equals("poisson"), seed, out, described, running::set);
        } else if (profile != null) {
          runProfile(engine, described, running, profile);
        } else {
          runOnce(engine, described, running);
        }
      } finally {
        reported.countDown();
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // Already shutting down: the hook is running and waits for us.
        }
      }
    }
    return 0;
  }

  private void runOnce(OpenLoopEngine engine, Map<String, Object> described,
      AtomicReference<Run> running) throws IOException {
    List<Phase> phases = new ArrayList<>();
    if (warmup > 0) {
      phases.add(Phase.warmup(rate, seconds(warmup)));
    }
    phases.add(Phase.measured("run", rate, seconds(duration), arrivals.equals("poisson"), seed));
    Run run = engine.run(phases);
    running.set(run);
    PhaseStats measured = run.finals().get(phases.size() - 1).join();
    run.finished().join();
    PhaseReport report = PhaseReport.of(measured);
    lastReport = report;
    stdout.print(ConsoleReport.render(report));
    if (run.stopReason() != null) {
      stdout.println("stopped early: " + run.stopReason());
    }
    if (out != null) {
      ReportFiles.write(out, "Load test: " + campaign + " at " + rate + "/s", described, report,
          run.stopReason());
      stdout.println("reports written to " + out.toAbsolutePath());
    }
    stdout.flush();
  }

  private void runProfile(OpenLoopEngine engine, Map<String, Object> described,
      AtomicReference<Run> running, RateProfile profile) throws IOException {
    StormRequest storm = profile.windowName().equals("storm")
        ? new StormRequest(scenario.stormUrl, scenario.stormShare, scenario.stormFor) : null;
    List<Phase> phases = new ArrayList<>();
    if (warmup > 0) {
      phases.add(Phase.warmup(rate, seconds(warmup)));
    }
    phases.addAll(profile.phases(arrivals.equals("poisson"), seed,
        storm == null ? () -> { } : storm));
    Run run = engine.run(phases, "run");
    running.set(run);
    PhaseStats whole = run.span().join();
    run.finished().join();
    List<PhaseReport> reports = new ArrayList<>();
    for (int i = phases.size() - 3; i < phases.size(); i++) {
      reports.add(PhaseReport.of(run.finals().get(i).join()));
    }
    Double stormAskedAt = storm == null || storm.askedNanos() == 0 ? null
        : Math.round((storm.askedNanos() - whole.startNanos()) / 1e6) / 1000.0;
    ProfileReport report = ProfileReport.of(profile, scenario.shedLimitMs, scenario.recoveryMargin,
        PhaseReport.of(whole), reports, storm == null ? null : storm.answer(), stormAskedAt);
    lastProfileReport = report;
    lastReport = report.whole();
    stdout.print(ConsoleReport.render(report));
    if (run.stopReason() != null) {
      stdout.println("stopped early: " + run.stopReason());
    }
    if (out != null) {
      String title = profile.windowName().equals("surge")
          ? String.format(Locale.ROOT, "Surge: %s/s, %s x for %s s", rate,
              scenario.surgeMultiple, scenario.surgeFor)
          : String.format(Locale.ROOT, "Buyer storm: %s/s, %s of the buyers hang for "
              + "%s s", rate, scenario.stormShare, scenario.stormFor);
      ReportFiles.writeProfile(out, title, described, report, run.stopReason());
      stdout.println("reports written to " + out.toAbsolutePath());
    }
    stdout.flush();
  }

  private EngineSettings engineSettings(URI target, List<URI> more, OutcomeLog outcomes) {
    LeadProfile profile = new LeadProfile(LeadProfile.parseStates(states), ageMin, ageMax,
        zipPrefixes, LeadProfile.parseFields(leadFields),
        runId != null ? runId : System.currentTimeMillis() / 60_000);
    return new EngineSettings(target, sellerKey, connections, eventLoops,
        Duration.ofMillis(timeoutMs), Duration.ofMillis(postDelayMs), maxRequests, deadlineMs,
        new TrafficMix(directRatio, postRatio, seed), new LeadFactory(profile, seed),
        new RequestBodies(campaign, source, testTraffic, hashes), quiet ? null : stderr,
        buyerConnectionsUrl, more, outcomes);
  }

  /** The settings as they go into the reports (never the seller key). */
  private Map<String, Object> describe(boolean stepMode) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("url", url);
    if (!alsoUrls.isEmpty()) {
      s.put("also_urls", String.join(",", alsoUrls));
    }
    if (stepMode) {
      step.describe(s);
    } else {
      s.put("rate", rate);
      s.put("duration_s", duration);
    }
    scenario.describe(s);
    if (buyerConnectionsUrl != null) {
      s.put("buyer_connections_url", buyerConnectionsUrl.toString());
    }
    s.put("wait_ready", readiness.waitReady);
    s.put("warmup_s", warmup);
    s.put("arrivals", arrivals);
    s.put("connections", connections);
    s.put("event_loops", eventLoops);
    s.put("campaign", campaign);
    s.put("source", source);
    s.put("post_ratio", postRatio);
    s.put("post_delay_ms", postDelayMs);
    s.put("direct_ratio", directRatio);
    s.put("deadline_ms", deadlineMs);
    s.put("states", states);
    s.put("age_min", ageMin);
    s.put("age_max", ageMax);
    s.put("zip_prefixes", String.join(",", zipPrefixes));
    s.put("lead_fields", String.join(",", leadFields));
    s.put("test_traffic", testTraffic);
    s.put("hashes", hashes);
    s.put("seed", seed);
    s.put("timeout_ms", timeoutMs);
    s.put("max_requests", maxRequests);
    s.put("java", System.getProperty("java.version"));
    s.put("cpus", Runtime.getRuntime().availableProcessors());
    return s;
  }

  private static Duration seconds(double s) {
    return Duration.ofNanos(Math.round(s * 1e9));
  }

  private static boolean isLoopback(URI target) {
    try {
      return target.getHost() != null
          && InetAddress.getByName(target.getHost()).isLoopbackAddress();
    } catch (IOException e) {
      return false;
    }
  }
}
