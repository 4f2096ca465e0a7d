package org.leadex.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.leadex.simulator.config.BuyerConfig;
import org.leadex.simulator.config.Json;
import org.leadex.simulator.config.PostBehaviour;
import org.leadex.simulator.config.Presets;
import org.leadex.simulator.config.SimulatorConfig;
import org.leadex.simulator.stats.BuyerStats;
import org.leadex.simulator.stats.SimulatorStats;

/** Posts, what buyers say they were charged, and daily capacity, over HTTP. */
class PostsOverHttpTest {
  static SimulatorFixture fixture;
  static BuyerSimulator sim;
  static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-11-02T12:00:00Z"));

  @BeforeAll
  static void start() throws Exception {
    fixture = new SimulatorFixture();
    sim = fixture.start(SimulatorConfig.of(41, List.of(
        BuyerConfig.of("payer", Presets.fast()),
        BuyerConfig.of("decliner", Presets.fast().withPost(new PostBehaviour(0, Presets.fast().post().latency(), "out_of_area"))),
        BuyerConfig.of("capped", Presets.fast().withDailyCapacity(2)),
        BuyerConfig.of("reporter", Presets.fast()))), CLOCK);
  }

  @AfterAll
  static void stop() throws Exception {
    fixture.close();
  }

  private static JsonNode post(String buyer, String price, boolean test) throws Exception {
    HttpResponse<String> r = TestHttp.post(sim.postUrl(buyer), TestHttp.post(price, test));
    assertEquals(200, r.statusCode(), r.body());
    return Json.MAPPER.readTree(r.body());
  }

  @Test
  void accepted_posts_are_charged_to_the_cent_and_test_posts_apart() throws Exception {
    JsonNode first = post("payer", "0.10", false);
    assertTrue(first.get("accepted").asBoolean());
    assertTrue(first.get("reference").asText().startsWith("payer-p"));
    post("payer", "0.20", false);
    post("payer", "14.25", false);
    post("payer", "9.99", true);
    JsonNode tooPrecise = post("payer", "1.005", false);
    assertEquals("invalid_price", tooPrecise.get("reason").asText());
    BuyerStats s = settled("payer", 5);
    assertEquals(5, s.posts());
    assertEquals(4, s.accepted());
    assertEquals(1, s.rejected());
    assertEquals(1455, s.chargedCents(), "0.10 + 0.20 + 14.25, exactly");
    assertEquals(999, s.testChargedCents());
    assertEquals(1, s.testPosts());
  }

  /**
   * A post is counted once its answer has been written, a moment after the client may already
   * have read it: wait (at most 2 s) until the buyer has counted {@code answered} posts.
   */
  private static BuyerStats settled(String buyer, long answered) throws InterruptedException {
    BuyerStats s = sim.stats(buyer);
    for (int i = 0; i < 200 && s.accepted() + s.rejected() < answered; i++) {
      Thread.sleep(10);
      s = sim.stats(buyer);
    }
    return s;
  }

  @Test
  void a_declined_post_gives_the_configured_reason() throws Exception {
    JsonNode r = post("decliner", "5.00", false);
    assertEquals(false, r.get("accepted").asBoolean());
    assertEquals("out_of_area", r.get("reason").asText());
    assertEquals(0, sim.stats("decliner").chargedCents());
  }

  @Test
  void after_its_daily_capacity_a_buyer_stops_bidding_until_the_next_utc_day() throws Exception {
    assertEquals(200, TestHttp.post(sim.bidUrl("capped"), TestHttp.bid("CA", 50)).statusCode());
    assertTrue(post("capped", "10.00", false).get("accepted").asBoolean());
    assertTrue(post("capped", "10.00", false).get("accepted").asBoolean());
    assertEquals(204, TestHttp.post(sim.bidUrl("capped"), TestHttp.bid("CA", 50)).statusCode());
    assertEquals("capacity", post("capped", "10.00", false).get("reason").asText());
    assertEquals(1, sim.stats("capped").noBidsByReason().capacity());
    CLOCK.advance(Duration.ofDays(1));
    assertEquals(200, TestHttp.post(sim.bidUrl("capped"), TestHttp.bid("CA", 50)).statusCode());
    assertTrue(post("capped", "10.00", false).get("accepted").asBoolean());
    assertEquals(3, settled("capped", 4).accepted());
  }

  @Test
  void the_stats_endpoint_gives_what_the_api_gives() throws Exception {
    post("reporter", "1.00", false);
    post("reporter", "2.50", false);
    settled("reporter", 2);
    HttpResponse<String> r = TestHttp.get(sim.statsUrl());
    assertEquals(200, r.statusCode());
    SimulatorStats overHttp = SimulatorStats.parse(r.body());
    assertEquals(sim.stats(), overHttp);
    assertEquals(List.of("payer", "decliner", "capped", "reporter"), List.copyOf(overHttp.buyers().keySet()));
    assertEquals(350, overHttp.buyer("reporter").chargedCents());
    long sum = overHttp.buyers().values().stream().mapToLong(BuyerStats::chargedCents).sum();
    assertEquals(sum, overHttp.totals().chargedCents());
    assertEquals(Json.MAPPER.readTree(r.body()).at("/totals/charged").decimalValue().movePointRight(2).longValueExact(),
        overHttp.totals().chargedCents(), "charged is charged_cents in dollars");
  }
}
