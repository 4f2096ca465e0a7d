package org.leadex.simulator.certify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.leadex.simulator.BuyerSimulator;
import org.leadex.simulator.BuyerSimulatorMain;
import org.leadex.simulator.config.BuyerConfig;
import org.leadex.simulator.config.Json;
import org.leadex.simulator.config.Presets;
import org.leadex.simulator.config.SimulatorConfig;
import org.leadex.simulator.stats.BuyerStats;
import picocli.CommandLine;

/** The kit against the buyer simulator, through the API and through {@code buyer-simulator certify}. */
class CertifySimulatorTest {
  private static Vertx vertx;
  private static BuyerSimulator sim;
  private static ScriptedBuyer broken;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    // fast: no delays, no faults (deterministic); picky preferences make the lead of score 0 a no-bid.
    var picky = Presets.fast().withPreferences(Presets.picky().preferences());
    sim = BuyerSimulator.start(vertx, SimulatorConfig.of(7, List.of(
        BuyerConfig.of("acme", picky),
        BuyerConfig.of("zero", picky.withNoBidAsZero(true))))).await(10, TimeUnit.SECONDS);
    broken = ScriptedBuyer.start(vertx);
  }

  @AfterAll
  static void stop() throws Exception {
    broken.close();
    sim.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static KitSettings settings(String buyer) {
    // A margin, so that a busy machine cannot make the loopback late: lateness has its own tests.
    return KitSettings.of(URI.create(sim.bidUrl(buyer)), URI.create(sim.postUrl(buyer))).withMarginMs(2_000);
  }

  @Test
  void the_simulator_is_certified_and_buys_each_lead_once() {
    CertificationReport report = ConformanceKit.certify(vertx, settings("acme"));
    assertTrue(report.certified(), report.text());
    for (CaseResult c : report.cases()) {
      if (!c.id().equals("post.reject")) {
        assertEquals(Verdict.PASS, c.verdict(), c.id() + ": " + c.finding());
      }
    }
    // The simulator buys every lead it is posted, blank contact fields too: nothing to see of a rejection.
    assertEquals(Verdict.WARN, report.get("post.reject").verdict());
    assertTrue(report.get("post.repeat").finding().contains("bought once"), report.get("post.repeat").finding());
    BuyerStats acme = sim.stats("acme");
    assertEquals(1, acme.repeatedPosts());
    assertEquals(2, acme.accepted(), "the first post and the blank one; the repeat bought nothing");
    assertEquals(0, acme.chargedCents(), "posts are test traffic by default");
  }

  @Test
  void a_no_bid_written_as_a_zero_bid_passes_too() {
    CertificationReport report = ConformanceKit.certify(vertx, settings("zero"));
    assertTrue(report.certified(), report.text());
    assertTrue(report.get("bid.no_bid").finding().contains("declined with 200 {\"bid\": 0}"), report.get("bid.no_bid").finding());
  }

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StringWriter err = new StringWriter();
    CommandLine cl = BuyerSimulatorMain.commandLine();
    cl.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString());
  }

  @Test
  void the_command_certifies_the_simulator_with_exit_code_0() {
    Run run = run("certify", "--bid-url", sim.bidUrl("acme"), "--post-url", sim.postUrl("acme"), "--timeout-margin-ms", "2000");
    assertEquals(0, run.code(), run.out() + run.err());
    assertTrue(run.out().contains("PASS  bid.normal"), run.out());
    assertTrue(run.out().contains("WARN  post.reject"), run.out());
    assertTrue(run.out().contains("CERTIFIED: 10 passed, 1 warnings, 0 failed, 0 skipped"), run.out());
  }

  @Test
  void the_command_reports_a_broken_buyer_as_json_with_exit_code_1() {
    Run run = run("certify", "--bid-url", broken.bidUrl("decimals").toString(), "--post-url", broken.postUrl("twice").toString(),
        "--timeout-margin-ms", "2000", "--repeat", "0", "--json", "--lead-field", "state=NV", "--lead-field", "age:=33");
    assertEquals(1, run.code(), run.out() + run.err());
    JsonNode report = Json.parse(run.out(), "report");
    assertFalse(report.path("certified").asBoolean());
    assertEquals(5, report.path("totals").path("fail").asInt(), run.out());
    JsonNode normal = report.path("cases").get(1);
    assertEquals("bid.normal", normal.path("id").asText());
    assertEquals("FAIL", normal.path("verdict").asText());
    JsonNode call = normal.path("calls").get(0);
    assertEquals("NV", call.path("request").path("lead").path("state").asText());
    assertEquals(33, call.path("request").path("lead").path("age").asInt());
    assertEquals(50, call.path("request").path("lead").path("score").asInt());
    assertEquals(120, call.path("request").path("tmax_ms").asInt());
    assertTrue(call.path("request").path("lead").path("email").isMissingNode(), "no PII in a bid request");
    assertEquals(200, call.path("answer").path("status").asInt());
    assertTrue(call.path("exchange_records").asText().startsWith("error: malformed: bid has more than 2 decimals"), call.toString());
  }

  @Test
  void bad_flags_exit_with_2() {
    assertEquals(2, run("certify").code(), "neither URL");
    assertEquals(2, run("certify", "--bid-url", "ftp://x/bid").code());
    assertEquals(2, run("certify", "--bid-url", sim.bidUrl("acme"), "--lead-field", "nothing").code());
    assertEquals(2, run("certify", "--bid-url", sim.bidUrl("acme"), "--tmax-ms", "0").code());
    Run pii = run("certify", "--bid-url", sim.bidUrl("acme"), "--lead-field", "email=a@b.example");
    assertEquals(2, pii.code());
    assertTrue(pii.err().contains("'email' is a PII field"), pii.err());
  }
}
