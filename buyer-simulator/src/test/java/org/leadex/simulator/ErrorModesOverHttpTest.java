package org.leadex.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.leadex.simulator.config.BuyerConfig;
import org.leadex.simulator.config.BuyerProfile;
import org.leadex.simulator.config.ErrorRates;
import org.leadex.simulator.config.Json;
import org.leadex.simulator.config.LatencyModel;
import org.leadex.simulator.config.PostBehaviour;
import org.leadex.simulator.config.Presets;

/**
 * Each error mode at rate 1, as an HTTP client meets it. The rates themselves are checked in
 * BuyerBehaviourTest; here, that each kind really is what its name says on the wire.
 */
class ErrorModesOverHttpTest {
  static final long DELAY_MS = 50;
  static final long TRICKLE_MS = 300;
  static SimulatorFixture fixture;
  static BuyerSimulator sim;

  private static BuyerProfile broken(ErrorRates errors) {
    return Presets.fast().withLatency(LatencyModel.fixed(DELAY_MS)).withErrors(errors);
  }

  @BeforeAll
  static void start() throws Exception {
    fixture = new SimulatorFixture();
    ErrorRates none = ErrorRates.NONE;
    sim = fixture.start(31, List.of(
        BuyerConfig.of("e500", broken(none.withError500(1))),
        BuyerConfig.of("malformed", broken(none.withMalformed(1))),
        BuyerConfig.of("trickle", broken(none.withTrickle(1, TRICKLE_MS))),
        BuyerConfig.of("reset", broken(none.withReset(1))),
        BuyerConfig.of("oversized", broken(none.withOversized(1, ErrorRates.DEFAULT_OVERSIZED_BYTES))),
        BuyerConfig.of("hang", Presets.fast().withLatency(new LatencyModel(0, 0, 1))),
        BuyerConfig.of("posthang", Presets.fast().withPost(new PostBehaviour(1, new LatencyModel(0, 0, 1), "x")))));
  }

  @AfterAll
  static void stop() throws Exception {
    fixture.close();
  }

  @Test
  void error_500_is_a_500_with_a_json_error() throws Exception {
    HttpResponse<String> r = TestHttp.post(sim.bidUrl("e500"), TestHttp.bid("CA", 50));
    assertEquals(500, r.statusCode());
    assertEquals("internal", Json.MAPPER.readTree(r.body()).get("error").asText());
    assertEquals(1, sim.stats("e500").errors().error500());
  }

  @Test
  void malformed_is_a_200_whose_body_is_not_json() throws Exception {
    for (int i = 0; i < 3; i++) { // the three kinds of bad body, in turn
      HttpResponse<String> r = TestHttp.post(sim.bidUrl("malformed"), TestHttp.bid("CA", 50));
      assertEquals(200, r.statusCode());
      assertThrows(JsonProcessingException.class, () -> Json.MAPPER.readTree(r.body()), r.body());
    }
    assertEquals(3, sim.stats("malformed").errors().malformed());
  }

  @Test
  void trickle_sends_headers_at_once_and_a_valid_bid_slowly() throws Exception {
    long start = System.nanoTime();
    HttpResponse<InputStream> r = TestHttp.CLIENT.send(
        TestHttp.postRequest(sim.bidUrl("trickle"), TestHttp.bid("CA", 50), Duration.ofSeconds(10)),
        HttpResponse.BodyHandlers.ofInputStream());
    long headersMs = (System.nanoTime() - start) / 1_000_000;
    String body;
    try (InputStream in = r.body()) {
      body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    long totalMs = (System.nanoTime() - start) / 1_000_000;
    assertEquals(200, r.statusCode());
    assertEquals("10.00", Json.MAPPER.readTree(body).get("bid").decimalValue().setScale(2).toPlainString());
    assertTrue(totalMs >= DELAY_MS + TRICKLE_MS, "the whole answer took " + totalMs + " ms");
    assertTrue(totalMs - headersMs >= 100, "headers after " + headersMs + " ms, body done after " + totalMs + " ms");
  }

  @Test
  void reset_closes_the_connection_without_an_answer() {
    IOException e = assertThrows(IOException.class, () -> TestHttp.post(sim.bidUrl("reset"), TestHttp.bid("CA", 50)));
    assertFalse(e instanceof HttpTimeoutException, "a reset is not a timeout: " + e);
    assertEquals(1, sim.stats("reset").errors().reset());
  }

  @Test
  void oversized_is_a_200_of_8_mib_starting_like_a_bid() throws Exception {
    HttpResponse<byte[]> r = TestHttp.CLIENT.send(
        TestHttp.postRequest(sim.bidUrl("oversized"), TestHttp.bid("CA", 50), Duration.ofSeconds(20)),
        HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, r.statusCode());
    assertEquals(ErrorRates.DEFAULT_OVERSIZED_BYTES, r.body().length);
    assertTrue(r.body().length > 64 * 1024, "over the contract's 64 KiB");
    String head = new String(r.body(), 0, 40, StandardCharsets.UTF_8);
    assertTrue(head.startsWith("{\"bid\":10.00,\"bid_id\":\"oversized-b"), head);
    assertTrue(Json.MAPPER.readTree(r.body()).get("padding").isTextual(), "well-formed JSON, only too big");
  }

  @Test
  void a_hang_never_answers() {
    Exception e = assertThrows(IOException.class, () -> TestHttp.newClient().send(
        TestHttp.postRequest(sim.bidUrl("hang"), TestHttp.bid("CA", 50), Duration.ofSeconds(1)), HttpResponse.BodyHandlers.ofString()));
    assertInstanceOf(HttpTimeoutException.class, e);
    assertEquals(1, sim.stats("hang").hangs());
  }

  @Test
  void a_post_can_hang_too() {
    assertThrows(HttpTimeoutException.class, () -> TestHttp.newClient().send(
        TestHttp.postRequest(sim.postUrl("posthang"), TestHttp.post("10.00", false), Duration.ofSeconds(1)), HttpResponse.BodyHandlers.ofString()));
    assertEquals(1, sim.stats("posthang").postHangs());
    assertEquals(0, sim.stats("posthang").chargedCents());
  }
}
