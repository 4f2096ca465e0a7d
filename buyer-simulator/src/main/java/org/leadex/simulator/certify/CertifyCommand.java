package org.leadex.simulator.certify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.leadex.simulator.config.Json;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Main thread only: {@code buyer-simulator certify}, the buyer conformance kit on the command line.
 * Prints the report (text, or JSON with {@code --json}) and exits 0 when certified, 1 when a case
 * failed, 2 on bad flags.
 */
@Command(
    name = "certify",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    version = "buyer-simulator certify 0.1.0",
    usageHelpWidth = 100,
    header = "Certifies a buyer's bid and post endpoints against the buyer protocol (the conformance kit).",
    description = {
      "Sends the protocol's cases - a normal bid, a test lead, a best campaign's shared bid, unknown",
      "fields, a no-bid, timing and size, a post after a bid, the same post again, a post to decline -",
      "judges every answer as the exchange would, and prints a report to fix the endpoints from.",
      "Posts are test traffic unless --live-posts. See docs/buyers.md.",
      ""
    },
    footer = {"", "Exit codes: 0 certified (no case failed; warnings allowed), 1 a case failed, 2 bad flags."})
public class CertifyCommand implements Callable<Integer> {
  /**
   * Vert.x logs each connection a buyer resets; the report already says so, in its place. Held
   * here because java.util.logging keeps loggers only weakly, and would forget the setting.
   */
  private static final java.util.logging.Logger CONNECTION_LOG = java.util.logging.Logger.getLogger("io.vertx.core.net.impl.ConnectionBase");

  @Option(names = "--bid-url", paramLabel = "URL",
      description = "The buyer's bid endpoint, e.g. https://buyer.example/bid. Leave out for a buyer without one (fixed price).")
  protected String bidUrl;

  @Option(names = "--post-url", paramLabel = "URL", description = "The buyer's post endpoint, e.g. https://buyer.example/post.")
  protected String postUrl;

  @Option(names = "--tmax-ms", paramLabel = "MS", defaultValue = "120",
      description = "The time budget sent as tmax_ms and enforced as the exchange does. Default: ${DEFAULT-VALUE}.")
  int tmaxMs;

  @Option(names = "--timeout-margin-ms", paramLabel = "MS", defaultValue = "0",
      description = "Allow this much more than tmax_ms when judging time, when the kit runs farther from the buyer than "
          + "the exchange does (add the extra round trip). Default: ${DEFAULT-VALUE}.")
  int marginMs;

  @Option(names = "--late-wait-ms", paramLabel = "MS", defaultValue = "1000",
      description = "Keep listening this long past a deadline, to report how late an answer was and what it said. Default: ${DEFAULT-VALUE}.")
  int lateWaitMs;

  @Option(names = "--post-timeout-ms", paramLabel = "MS", defaultValue = "3000",
      description = "The post's budget (the campaign's post_timeout_ms). Default: ${DEFAULT-VALUE}.")
  int postTimeoutMs;

  @Option(names = "--campaign", paramLabel = "ID", defaultValue = "certify",
      description = "The campaign named in the requests. Default: ${DEFAULT-VALUE}.")
  String campaign;

  @Option(names = "--vertical", paramLabel = "NAME", defaultValue = "auto-insurance",
      description = "The vertical named in the requests. Default: ${DEFAULT-VALUE}.")
  String vertical;

  @Option(names = "--score", paramLabel = "N", defaultValue = "50",
      description = "The sample lead's score (0-100). Default: ${DEFAULT-VALUE}.")
  int score;

  @Option(names = "--lead-field", paramLabel = "NAME=VALUE",
      description = "A non-PII field of the sample lead, added or replacing one of zip=90210, state=CA, age:=40. "
          + "NAME=VALUE is a string; NAME:=JSON a JSON value (age:=40, homeowner:=true). Repeatable.")
  List<String> leadFields = List.of();

  @Option(names = "--pii-field", paramLabel = "NAME=VALUE",
      description = "A PII field of the sample lead, sent in posts only: first_name, last_name, email, phone and address are given. Repeatable.")
  List<String> piiFields = List.of();

  @Option(names = "--no-bid-field", paramLabel = "NAME=VALUE",
      description = "Changes to the lead of the request meant to be declined (it has score 0), e.g. state=ZZ. Repeatable.")
  List<String> noBidFields = List.of();

  @Option(names = "--reject-field", paramLabel = "NAME=VALUE",
      description = "Changes to the lead of the post meant to be declined (its PII fields are blank), e.g. phone=000. Repeatable.")
  List<String> rejectFields = List.of();

  @Option(names = "--repeat", paramLabel = "N", defaultValue = "5",
      description = "Send N more normal bid requests, so that timing is judged on more answers. Default: ${DEFAULT-VALUE}.")
  int repeats;

  @Option(names = "--live-posts",
      description = "Send posts as real traffic (\"test\": false), as the exchange would; use on a staging endpoint. "
          + "Default: posts are test traffic.")
  boolean livePosts;

  @Option(names = "--json", description = "Print the report as JSON (every request and answer) instead of text.")
  boolean json;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    KitSettings settings;
    try {
      settings = settings();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    CONNECTION_LOG.setLevel(java.util.logging.Level.OFF);
    Vertx vertx = Vertx.vertx();
    try (BuyerWire wire = wire(vertx)) {
      CertificationReport report = ConformanceKit.certify(settings, wire);
      spec.commandLine().getOut().print(json ? report.json() + System.lineSeparator() : report.text());
      spec.commandLine().getOut().flush();
      return report.exitCode();
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  /** How the cases reach the buyer: the buyer protocol here; the exchange's command goes through adapters. */
  protected BuyerWire wire(Vertx vertx) {
    return new ProtocolWire(vertx);
  }

  protected KitSettings settings() {
    Map<String, JsonNode> extraLead = fields(leadFields, "--lead-field");
    Map<String, JsonNode> extraPii = fields(piiFields, "--pii-field");
    for (String name : extraLead.keySet()) {
      // A bid request must never carry PII: a sample PII field cannot become a lead field by mistake.
      if (KitSettings.SAMPLE_PII.containsKey(name) || extraPii.containsKey(name)) {
        throw new IllegalArgumentException("'" + name + "' is a PII field, sent in posts only: give it with --pii-field");
      }
    }
    Map<String, JsonNode> lead = new LinkedHashMap<>(KitSettings.SAMPLE_LEAD);
    lead.putAll(extraLead);
    Map<String, JsonNode> pii = new LinkedHashMap<>(KitSettings.SAMPLE_PII);
    extraPii.keySet().forEach(lead::remove);
    pii.putAll(extraPii);
    return new KitSettings(url(bidUrl, "--bid-url"), url(postUrl, "--post-url"), tmaxMs, marginMs, lateWaitMs, postTimeoutMs,
        campaign, vertical, score, lead, pii, fields(noBidFields, "--no-bid-field"), fields(rejectFields, "--reject-field"),
        repeats, livePosts);
  }

  /** NAME=VALUE (a string) or NAME:=JSON (any JSON value), in order. */
  static Map<String, JsonNode> fields(List<String> flags, String flag) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    for (String f : flags) {
      int eq = f.indexOf('=');
      if (eq < 1) {
        throw new IllegalArgumentException(flag + " takes NAME=VALUE or NAME:=JSON, got '" + f + "'");
      }
      boolean raw = f.charAt(eq - 1) == ':';
      String name = f.substring(0, raw ? eq - 1 : eq);
      String value = f.substring(eq + 1);
      if (name.isEmpty() || name.equals("score")) {
        throw new IllegalArgumentException(flag + ": " + (name.isEmpty() ? "a field needs a name" : "the score is set with --score"));
      }
      out.put(name, raw ? Json.parse(value, flag + " " + name) : JsonNodeFactory.instance.textNode(value));
    }
    return out;
  }

  private static URI url(String text, String flag) {
    if (text == null) {
      return null;
    }
    try {
      return new URI(text);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(flag + " is not a URL: " + e.getMessage());
    }
  }
}
