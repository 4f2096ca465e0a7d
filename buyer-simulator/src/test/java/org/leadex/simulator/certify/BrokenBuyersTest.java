package org.leadex.simulator.certify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The kit against real buyers over HTTP: one that follows the protocol is certified with every case
 * passed, and each buyer broken in one way fails exactly the cases that break, with the exchange's
 * reading of the answer in the finding.
 */
class BrokenBuyersTest {
  private static Vertx vertx;
  private static ScriptedBuyer buyer;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    buyer = ScriptedBuyer.start(vertx);
  }

  @AfterAll
  static void stop() throws Exception {
    buyer.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /**
   * A buyer that answers in a few ms still gets a wide margin where lateness is not the point, so a
   * busy machine cannot fail these tests; lateness is tested with answers far past tmax_ms.
   */
  private static CertificationReport certify(String flaw, UnaryOperator<KitSettings> tweak) {
    KitSettings settings = tweak.apply(KitSettings.of(buyer.bidUrl(flaw), buyer.postUrl(flaw)).withMarginMs(2_000).withRepeats(2));
    return ConformanceKit.certify(vertx, settings);
  }

  @Test
  void a_buyer_that_follows_the_protocol_passes_every_case() {
    CertificationReport report = certify("good", s -> s);
    assertTrue(report.certified(), report.text());
    assertEquals(0, report.exitCode());
    for (CaseResult c : report.cases()) {
      assertEquals(Verdict.PASS, c.verdict(), c.id() + ": " + c.finding());
    }
    assertTrue(report.get("bid.normal").finding().startsWith("the exchange records bid 10.00 (bid_id b-"), report.get("bid.normal").finding());
    assertTrue(report.get("bid.shared").finding().endsWith("shared_bid 5.00"), report.get("bid.shared").finding());
    assertTrue(report.get("bid.no_bid").finding().contains("declined with 204"), report.get("bid.no_bid").finding());
    assertTrue(report.get("post.accept").finding().contains("with its bid_id"), report.get("post.accept").finding());
    assertTrue(report.get("post.repeat").finding().contains("bought once"), report.get("post.repeat").finding());
    assertEquals("the exchange records rejected: invalid_contact", report.get("post.reject").finding());
    assertTrue(report.text().contains("CERTIFIED: 11 passed, 0 warnings, 0 failed"), report.text());
  }

  static Stream<Arguments> flaws() {
    UnaryOperator<KitSettings> same = s -> s;
    return Stream.of(
        Arguments.of("decimals", same, List.of("bid.normal", "bid.test_lead", "bid.shared", "bid.unknown_fields"),
            "bid.normal", "error: malformed: bid has more than 2 decimals"),
        // 250 ms answers against tmax_ms 100 and no margin: late however slow the machine is.
        Arguments.of("late", (UnaryOperator<KitSettings>) s -> s.withTmaxMs(100).withMarginMs(0).withRepeats(0),
            List.of("bid.normal", "bid.test_lead", "bid.shared", "bid.unknown_fields", "bid.timing"),
            "bid.normal", "timeout: no answer within 100 ms"),
        Arguments.of("text", same, List.of("bid.normal", "bid.test_lead", "bid.shared", "bid.unknown_fields", "bid.size_and_type"),
            "bid.normal", "error: malformed: not JSON"),
        // The 4th real request is the first repeat of the normal one (after normal, shared, unknown fields).
        Arguments.of("fourth500", same, List.of("bid.normal"), "bid.normal", "1 of 3 normal requests failed: bid.normal #2: error: status 500"),
        Arguments.of("test500", same, List.of("bid.test_lead"), "bid.test_lead", "error: status 500"),
        Arguments.of("big", same, List.of("bid.normal", "bid.test_lead", "bid.shared", "bid.unknown_fields", "bid.size_and_type"),
            "bid.normal", "too_large: answer over 65536 bytes"),
        Arguments.of("sharedbad", same, List.of("bid.shared"), "bid.shared", "shared_bid 7.555 is not money"),
        Arguments.of("strict", same, List.of("bid.unknown_fields"), "bid.unknown_fields", "error: status 400"),
        Arguments.of("nobid404", same, List.of("bid.no_bid"), "bid.no_bid", "error: status 404"),
        Arguments.of("twice", same, List.of("post.repeat"), "post.repeat", "accepted the same lead_id twice"),
        Arguments.of("acceptstring", same, List.of("post.accept"), "post.accept", "rejected: malformed: no boolean accepted"),
        // 500 ms post answers against post_timeout_ms 200.
        Arguments.of("postlate", (UnaryOperator<KitSettings>) s -> s.withPostTimeoutMs(200),
            List.of("post.accept", "post.reject"), "post.accept", "rejected: timeout after 200 ms"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("flaws")
  void each_broken_behaviour_fails_its_own_cases_and_no_other(String flaw, UnaryOperator<KitSettings> tweak,
                                                              List<String> failing, String shown, String recorded) {
    CertificationReport report = certify(flaw, tweak);
    assertEquals(failing, report.failed(), report.text());
    assertEquals(1, report.exitCode());
    CaseResult c = report.get(shown);
    assertTrue(c.finding().contains(recorded), c.finding());
    assertNotNull(c.fix(), "a failure says how to fix it");
    assertTrue(report.text().contains("fix: " + c.fix()), report.text());
  }

  @Test
  void a_test_lead_failing_alone_gets_the_test_lead_fix() {
    CaseResult c = certify("test500", s -> s).get("bid.test_lead");
    assertTrue(c.fix().startsWith("Answer test leads"), c.fix());
  }

  @Test
  void a_late_answer_is_reported_with_how_it_would_have_read_in_time() {
    CertificationReport report = certify("late", s -> s.withTmaxMs(100).withMarginMs(0).withRepeats(0));
    String finding = report.get("bid.normal").finding();
    assertTrue(finding.contains("in time it would have read as bid 10.00"), finding);
    assertTrue(report.get("bid.timing").finding().startsWith("4 of 5 answers came after tmax_ms 100"), report.get("bid.timing").finding());
    assertEquals(Verdict.PASS, report.get("bid.no_bid").verdict(), "a late 204 is still the right form");
  }

  @Test
  void a_buyer_that_never_declines_is_warned_not_failed() {
    CertificationReport report = certify("alwaysbids", s -> s);
    assertEquals(Verdict.WARN, report.get("bid.no_bid").verdict());
    assertTrue(report.certified(), report.text());
  }

  @Test
  void json_without_a_json_content_type_is_a_warning() {
    CertificationReport report = certify("untyped", s -> s);
    assertEquals(Verdict.WARN, report.get("bid.size_and_type").verdict(), report.text());
    assertTrue(report.certified());
  }

  @Test
  void a_buyer_that_is_not_there_fails_to_connect_once_and_nothing_else_is_run() {
    java.net.URI nowhere = java.net.URI.create("http://127.0.0.1:1/x");
    CertificationReport report = ConformanceKit.certify(vertx, KitSettings.of(nowhere, nowhere));
    assertEquals(List.of("bid.connect", "post.accept"), report.failed(), report.text());
    assertTrue(report.get("bid.connect").finding().startsWith("could not talk to the bid URL: "), report.get("bid.connect").finding());
    assertEquals("not run: bid.connect failed", report.get("bid.timing").finding());
    assertTrue(report.get("post.accept").finding().contains("rejected: error: "), report.get("post.accept").finding());
    assertEquals(Verdict.SKIP, report.get("post.repeat").verdict());
    assertEquals(1, report.exitCode());
  }

  @Test
  void without_a_post_url_the_post_cases_are_skipped() {
    CertificationReport report = ConformanceKit.certify(vertx, KitSettings.of(buyer.bidUrl("good"), null).withMarginMs(2_000));
    assertEquals(Verdict.SKIP, report.get("post.accept").verdict());
    assertEquals(Verdict.PASS, report.get("bid.normal").verdict());
    assertTrue(report.certified(), report.text());
  }
}
