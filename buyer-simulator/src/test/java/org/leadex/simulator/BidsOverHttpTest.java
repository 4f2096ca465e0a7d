package org.leadex.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.leadex.simulator.config.BuyerConfig;
import org.leadex.simulator.config.Json;
import org.leadex.simulator.config.LatencyModel;
import org.leadex.simulator.config.Preferences;
import org.leadex.simulator.config.Presets;
import org.leadex.simulator.config.SimulatorConfig;
import org.leadex.simulator.stats.BuyerStats;

/** Bid answers as an HTTP client sees them, from one simulator of several kinds of buyer. */
class BidsOverHttpTest {
  static SimulatorFixture fixture;
  static BuyerSimulator sim;

  @BeforeAll
  static void start() throws Exception {
    fixture = new SimulatorFixture();
    sim = fixture.start(21, List.of(
        BuyerConfig.of("p30", Presets.fast().withBidProbability(0.3)),
        BuyerConfig.of("picky", Presets.fast().withPreferences(new Preferences(List.of("CA", "NV"), 40))),
        BuyerConfig.of("sharer", Presets.fast().withSharedBidRatio(0.5)),
        BuyerConfig.of("zero", Presets.fast().withBidProbability(0).withNoBidAsZero(true)),
        BuyerConfig.of("slow", Presets.fast().withLatency(LatencyModel.fixed(100))),
        BuyerConfig.of("lognormal", Presets.fast().withLatency(LatencyModel.logNormal(50, 200)))));
  }

  @AfterAll
  static void stop() throws Exception {
    fixture.close();
  }

  @Test
  void a_buyer_with_bid_probability_0_3_bids_on_30_percent_of_2000_requests() throws Exception {
    int bids = 0;
    for (HttpResponse<String> r : TestHttp.postMany(sim.bidUrl("p30"), TestHttp.bid("CA", 50), 2_000, 20)) {
      if (r.statusCode() == 200) {
        bids++;
        assertTrue(Json.MAPPER.readTree(r.body()).get("bid").decimalValue().signum() > 0);
      } else {
        assertEquals(204, r.statusCode());
        assertEquals("", r.body());
      }
    }
    // standard error sqrt(0.21 / 2000) = 0.010; ±0.05 is 5 of them
    assertEquals(0.3, bids / 2000.0, 0.05);
    BuyerStats s = sim.stats("p30");
    assertEquals(2_000, s.bidRequests());
    assertEquals(bids, s.bids());
    assertEquals(2_000 - bids, s.noBids());
  }

  @Test
  void a_bid_is_the_contracts_json_with_two_decimals_and_a_bid_id() throws Exception {
    HttpResponse<String> r = TestHttp.post(sim.bidUrl("sharer"), TestHttp.bid("CA", 50));
    assertEquals(200, r.statusCode());
    assertEquals("application/json", r.headers().firstValue("content-type").orElse(""));
    assertTrue(r.body().matches("\\{\"bid\":10\\.00,\"bid_id\":\"sharer-b[0-9]+\"}"), r.body());
  }

  @Test
  void a_buyer_with_preferences_bids_only_on_the_leads_it_wants() throws Exception {
    assertEquals(200, TestHttp.post(sim.bidUrl("picky"), TestHttp.bid("CA", 40)).statusCode());
    assertEquals(204, TestHttp.post(sim.bidUrl("picky"), TestHttp.bid("TX", 90)).statusCode());
    assertEquals(204, TestHttp.post(sim.bidUrl("picky"), TestHttp.bid("NV", 39)).statusCode());
    assertEquals(204, TestHttp.post(sim.bidUrl("picky"), TestHttp.bid("NV", null)).statusCode());
    assertEquals(3, sim.stats("picky").noBidsByReason().preference());
  }

  @Test
  void shared_bids_follow_the_campaigns_sale_modes() throws Exception {
    String best = TestHttp.post(sim.bidUrl("sharer"), TestHttp.bid("CA", 0, List.of("exclusive", "shared"))).body();
    assertTrue(best.matches("\\{\"bid\":10\\.00,\"bid_id\":\"sharer-b[0-9]+\",\"shared_bid\":5\\.00}"), best);
    String shared = TestHttp.post(sim.bidUrl("sharer"), TestHttp.bid("CA", 0, List.of("shared"))).body();
    assertTrue(shared.matches("\\{\"bid\":5\\.00,\"bid_id\":\"sharer-b[0-9]+\"}"), shared);
  }

  @Test
  void a_no_bid_can_be_a_200_with_bid_0() throws Exception {
    HttpResponse<String> r = TestHttp.post(sim.bidUrl("zero"), TestHttp.bid("CA", 50));
    assertEquals(200, r.statusCode());
    assertEquals("{\"bid\":0}", r.body());
  }

  @Test
  void the_answer_waits_for_the_sampled_delay() throws Exception {
    long start = System.nanoTime();
    assertEquals(200, TestHttp.post(sim.bidUrl("slow"), TestHttp.bid("CA", 50)).statusCode());
    assertTrue(System.nanoTime() - start >= Duration.ofMillis(100).toNanos(), "a fixed 100 ms delay");
  }

  @Test
  void log_normal_delays_reach_the_client_spread_out() throws Exception {
    // 100 concurrent requests, median 50 ms, p99 200 ms: expected p10 ≈ 23 ms, p50 = 50 ms, p90 ≈ 107 ms.
    // Only lower bounds and spread are asserted, so a busy machine cannot fail it; the sampler
    // itself is checked precisely in DistributionsTest.
    List<CompletableFuture<Long>> timings = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      long start = System.nanoTime();
      timings.add(TestHttp.CLIENT.sendAsync(TestHttp.postRequest(sim.bidUrl("lognormal"), TestHttp.bid("CA", 50), Duration.ofSeconds(10)),
              HttpResponse.BodyHandlers.ofString())
          .thenApply(r -> (System.nanoTime() - start) / 1_000_000));
    }
    long[] ms = timings.stream().mapToLong(CompletableFuture::join).sorted().toArray();
    assertTrue(ms[50] >= 40, "median " + ms[50] + " ms");
    assertTrue(ms[90] - ms[10] >= 20, "p10 " + ms[10] + " ms, p90 " + ms[90] + " ms");
  }

  @Test
  void health_stats_and_unknown_paths() throws Exception {
    HttpResponse<String> health = TestHttp.get("http://127.0.0.1:" + sim.port() + "/health");
    assertEquals(200, health.statusCode());
    assertEquals("{\"status\":\"ok\",\"buyers\":6}", health.body());
    HttpResponse<String> unknown = TestHttp.post("http://127.0.0.1:" + sim.port() + "/buyers/nobody/bid", "{}");
    assertEquals(404, unknown.statusCode());
    assertEquals("not_found", Json.MAPPER.readTree(unknown.body()).get("error").asText());
    HttpResponse<String> bad = TestHttp.post(sim.bidUrl("zero"), "{not json");
    assertEquals(400, bad.statusCode());
    assertEquals(1, sim.stats("zero").badRequests());
  }

  @Test
  void buyers_spread_over_several_ports_each_answer_on_their_own() throws Exception {
    SimulatorConfig config = SimulatorConfig.of(3, BuyerConfig.group("spread", 4, Presets.fast())).withPorts(2);
    BuyerSimulator multi = fixture.start(config, Clock.systemUTC());
    try {
      assertEquals(2, multi.ports().size());
      assertNotEquals(multi.port("spread-001"), multi.port("spread-002"));
      assertEquals(multi.port("spread-001"), multi.port("spread-003"));
      for (String id : multi.buyerIds()) {
        assertEquals(200, TestHttp.post(multi.bidUrl(id), TestHttp.bid("CA", 1)).statusCode(), id);
      }
      HttpResponse<String> wrongPort = TestHttp.post(
          "http://127.0.0.1:" + multi.port("spread-001") + "/buyers/spread-002/bid", TestHttp.bid("CA", 1));
      assertEquals(404, wrongPort.statusCode());
      assertTrue(wrongPort.body().contains("served on port " + multi.port("spread-002")), wrongPort.body());
      assertEquals(4, multi.stats().totals().bids());
    } finally {
      SimulatorFixture.stop(multi);
    }
  }
}
