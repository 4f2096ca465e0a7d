package org.leadex.simulator.behaviour;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.leadex.simulator.behaviour.BidDecision.NoBidReason;
import org.leadex.simulator.behaviour.BidDecision.Outcome;
import org.leadex.simulator.config.BuyerConfig;
import org.leadex.simulator.config.BuyerProfile;
import org.leadex.simulator.config.ErrorRates;
import org.leadex.simulator.config.LatencyModel;
import org.leadex.simulator.config.Money;
import org.leadex.simulator.config.PostBehaviour;
import org.leadex.simulator.config.Preferences;
import org.leadex.simulator.config.PriceDistribution;
import org.leadex.simulator.config.Presets;
import org.leadex.simulator.stats.BuyerCounters;
import org.leadex.simulator.stats.BuyerStats;

/**
 * A buyer's decisions without a network. Rates are checked over {@value #N} requests; for a rate p
 * the standard error is sqrt(p(1−p)/N) (0.0021 at p = 0.1, 0.0032 at p = 0.3), and each tolerance
 * below is at least 4 of them.
 */
class BuyerBehaviourTest {
  static final int N = 20_000;
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-02T10:00:00Z"), ZoneOffset.UTC);
  static final BidRequest ANY_LEAD = new BidRequest("p", false, "CA", 50, List.of("exclusive"));

  private static BuyerBehaviour buyer(String id, BuyerProfile profile, long seed) {
    return new BuyerBehaviour(BuyerConfig.of(id, profile), seed, CLOCK, new BuyerCounters());
  }

  private static final java.util.concurrent.atomic.AtomicLong LEADS = new java.util.concurrent.atomic.AtomicLong();

  /** A post of a new lead each time. */
  private static PostRequest post(String price) {
    return new PostRequest("p", "l-" + LEADS.incrementAndGet(), "b", new BigDecimal(price), false);
  }

  @Test
  void each_error_mode_and_hangs_happen_at_their_configured_rates() {
    BuyerProfile profile = Presets.fast()
        .withLatency(new LatencyModel(0, 0, 0.05))
        .withErrors(new ErrorRates(0.10, 0.10, 0.10, 0.10, 0.05, 1000, ErrorRates.DEFAULT_OVERSIZED_BYTES));
    BuyerBehaviour b = buyer("errors", profile, 11);
    Map<Outcome, Integer> seen = new EnumMap<>(Outcome.class);
    for (int i = 0; i < N; i++) {
      seen.merge(b.decideBid(ANY_LEAD).outcome(), 1, Integer::sum);
    }
    Map<Outcome, Double> expected = Map.of(
        Outcome.HANG, 0.05, Outcome.ERROR_500, 0.10, Outcome.MALFORMED, 0.10, Outcome.TRICKLE, 0.10,
        Outcome.RESET, 0.10, Outcome.OVERSIZED, 0.05, Outcome.BID, 0.50);
    expected.forEach((outcome, rate) -> {
      double observed = seen.getOrDefault(outcome, 0) / (double) N;
      assertEquals(rate, observed, 0.015, outcome + " rate");
    });
    BuyerStats s = b.counters().snapshot();
    assertEquals(N, s.bidRequests());
    assertEquals(N, s.bids() + s.noBids() + s.hangs() + s.errors().total(), "every request counted once");
    assertEquals(seen.get(Outcome.TRICKLE).longValue(), s.errors().trickle());
  }

  @Test
  void it_bids_with_the_configured_probability() {
    BuyerBehaviour b = buyer("p30", Presets.fast().withBidProbability(0.3), 12);
    int bids = 0;
    for (int i = 0; i < N; i++) {
      bids += b.decideBid(ANY_LEAD).outcome() == Outcome.BID ? 1 : 0;
    }
    assertEquals(0.3, bids / (double) N, 0.015);
    assertEquals(N - bids, b.counters().snapshot().noBidsByReason().chance());
  }

  @Test
  void it_accepts_posts_with_the_configured_rate_and_hangs_on_some() {
    BuyerProfile profile = Presets.fast().withPost(new PostBehaviour(0.9, new LatencyModel(0, 0, 0.05), "not_interested"));
    BuyerBehaviour b = buyer("posts", profile, 13);
    int accepted = 0;
    int hangs = 0;
    for (int i = 0; i < N; i++) {
      PostDecision d = b.decidePost(post("10.00"));
      accepted += d.outcome() == PostDecision.Outcome.ACCEPT ? 1 : 0;
      hangs += d.outcome() == PostDecision.Outcome.HANG ? 1 : 0;
      b.delivered(d);
    }
    assertEquals(0.05, hangs / (double) N, 0.01, "post hang rate");
    assertEquals(0.9, accepted / (double) (N - hangs), 0.01, "acceptance among answered posts");
    BuyerStats s = b.counters().snapshot();
    assertEquals(accepted * 1000L, s.chargedCents(), "charged exactly the accepted prices");
  }

  @Test
  void bids_are_whole_cents_within_the_price_bounds() {
    BuyerBehaviour b = buyer("prices", Presets.realistic().withBidProbability(1).withLatency(LatencyModel.IMMEDIATE), 14);
    for (int i = 0; i < 2_000; i++) {
      BidDecision d = b.decideBid(ANY_LEAD);
      assertTrue(d.bidCents() >= 100 && d.bidCents() <= 5000, "bid " + d.bidCents());
      assertTrue(d.answerJson().matches("\\{\"bid\":[0-9]+\\.[0-9]{2},\"bid_id\":\"prices-b[0-9]+\"}"), d.answerJson());
    }
  }

  @Test
  void leads_it_does_not_want_get_no_bid() {
    BuyerBehaviour b = buyer("picky", Presets.fast().withPreferences(new Preferences(List.of("CA", "NV"), 40)), 15);
    assertEquals(Outcome.BID, b.decideBid(new BidRequest("p", false, "NV", 40, null)).outcome());
    BidDecision tx = b.decideBid(new BidRequest("p", false, "TX", 90, null));
    assertEquals(Outcome.NO_BID, tx.outcome());
    assertEquals(NoBidReason.PREFERENCE, tx.noBidReason());
    assertEquals(Outcome.NO_BID, b.decideBid(new BidRequest("p", false, "CA", 39, null)).outcome());
    assertEquals(Outcome.NO_BID, b.decideBid(new BidRequest("p", false, null, 90, null)).outcome());
    assertEquals(3, b.counters().snapshot().noBidsByReason().preference());
  }

  @Test
  void after_its_daily_capacity_of_accepted_posts_it_stops_bidding_until_the_next_utc_day() {
    var clock = new org.leadex.simulator.MutableClock(Instant.parse("2026-11-02T23:00:00Z"));
    BuyerBehaviour b = new BuyerBehaviour(BuyerConfig.of("capped", Presets.fast().withDailyCapacity(2)), 1, clock, new BuyerCounters());
    PostDecision first = b.decidePost(post("10.00"));
    PostDecision second = b.decidePost(post("10.00"));
    assertEquals(PostDecision.Outcome.ACCEPT, second.outcome());
    // two accepted but not yet answered already take the capacity
    assertEquals(NoBidReason.CAPACITY, b.decideBid(ANY_LEAD).noBidReason());
    assertEquals("capacity", b.decidePost(post("10.00")).reason());
    b.abandoned(first);
    assertEquals(Outcome.BID, b.decideBid(ANY_LEAD).outcome(), "an abandoned post gives its capacity back");
    PostDecision third = b.decidePost(post("10.00"));
    b.delivered(second);
    b.delivered(third);
    assertEquals(NoBidReason.CAPACITY, b.decideBid(ANY_LEAD).noBidReason());
    clock.advance(Duration.ofHours(1));
    assertEquals(Outcome.BID, b.decideBid(ANY_LEAD).outcome(), "a new UTC day");
  }

  @Test
  void a_best_campaign_gets_a_shared_bid_and_a_shared_one_gets_the_shared_price() {
    BuyerProfile p = Presets.fast().withPrice(new PriceDistribution.Fixed(Money.parse("10.01"))).withSharedBidRatio(0.5);
    BuyerBehaviour b = buyer("sharer", p, 16);
    BidDecision best = b.decideBid(new BidRequest("p", false, "CA", 0, List.of("exclusive", "shared")));
    assertEquals(1001, best.bidCents());
    assertEquals(501, best.sharedBidCents(), "half of 10.01, rounded half-up");
    assertTrue(best.answerJson().endsWith(",\"shared_bid\":5.01}"), best.answerJson());
    BidDecision shared = b.decideBid(new BidRequest("p", false, "CA", 0, List.of("shared")));
    assertEquals(501, shared.bidCents());
    assertEquals(0, shared.sharedBidCents());
    BidDecision exclusive = b.decideBid(ANY_LEAD);
    assertEquals(0, exclusive.sharedBidCents());
    BidDecision noRatio = buyer("whole", p.withSharedBidRatio(0), 16).decideBid(new BidRequest("p", false, "CA", 0, List.of("exclusive", "shared")));
    assertEquals(0, noRatio.sharedBidCents());
  }

  @Test
  void a_lead_posted_again_gets_the_first_answer_and_is_bought_once() {
    BuyerBehaviour b = buyer("once", Presets.fast(), 18);
    PostRequest lead = new PostRequest("p", "lead-7", "b", new BigDecimal("10.00"), false);
    PostDecision first = b.decidePost(lead);
    b.delivered(first);
    PostDecision again = b.decidePost(lead);
    b.delivered(again);
    assertEquals(PostDecision.Outcome.REPEAT, again.outcome());
    assertEquals(first.answerJson(), again.answerJson(), "the same reference, not a second purchase");
    assertEquals(1, b.counters().snapshot().accepted());
    assertEquals(1000, b.counters().snapshot().chargedCents());
    assertEquals(1, b.counters().snapshot().repeatedPosts());
    assertEquals(1, b.counters().snapshot().posts(), "a repeat is not a post decision");
    // A repeat takes no seed: the following posts are decided as they would have been without it.
    BuyerBehaviour withRepeat = buyer("r", Presets.realistic(), 18);
    BuyerBehaviour without = buyer("r", Presets.realistic(), 18);
    withRepeat.decidePost(lead);
    without.decidePost(lead);
    withRepeat.decidePost(lead);
    for (int i = 0; i < 50; i++) {
      PostRequest next = post("10.00");
      assertEquals(without.decidePost(next), withRepeat.decidePost(next));
    }

    BuyerBehaviour decliner = buyer("no", Presets.fast().withPost(new org.leadex.simulator.config.PostBehaviour(0,
        Presets.fast().post().latency(), "out_of_area")), 19);
    PostDecision declined = decliner.decidePost(lead);
    assertEquals(declined.answerJson(), decliner.decidePost(lead).answerJson(), "a declined lead stays declined");

    BuyerBehaviour left = buyer("left", Presets.fast(), 20);
    left.abandoned(left.decidePost(lead));
    assertEquals(PostDecision.Outcome.ACCEPT, left.decidePost(lead).outcome(), "an abandoned acceptance bought nothing: a new post");
  }

  @Test
  void prices_with_more_than_two_decimals_are_declined_not_rounded() {
    BuyerBehaviour b = buyer("strict", Presets.fast(), 17);
    PostDecision d = b.decidePost(post("1.234"));
    assertEquals(PostDecision.Outcome.REJECT, d.outcome());
    assertEquals("invalid_price", d.reason());
    assertNull(b.decidePost(new PostRequest("p", "l", "b", null, false)).reference());
  }

  private static List<BidDecision> run(BuyerBehaviour b, int n) {
    List<BidDecision> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(b.decideBid(new BidRequest("p", false, i % 3 == 0 ? "TX" : "CA", i % 100, null)));
    }
    return out;
  }

  @Test
  void the_same_seed_and_requests_give_the_same_decisions_and_another_seed_does_not() {
    BuyerProfile p = Presets.flaky();
    assertEquals(run(buyer("rep", p, 99), 500), run(buyer("rep", p, 99), 500));
    assertNotEquals(run(buyer("rep", p, 99), 500), run(buyer("rep", p, 100), 500));
    assertNotEquals(run(buyer("rep", p, 99), 500), run(buyer("rep-2", p, 99), 500), "each buyer has its own stream");
  }

  @Test
  void a_buyers_decisions_do_not_depend_on_how_many_draws_earlier_requests_took() {
    // Same requests in number, different content: a no-bid for preference takes fewer draws than a
    // bid, yet the next request's decision depends only on its position in the sequence.
    BuyerProfile p = Presets.realistic().withPreferences(new Preferences(List.of("CA"), 0));
    BuyerBehaviour a = buyer("pos", p, 5);
    BuyerBehaviour b = buyer("pos", p, 5);
    a.decideBid(new BidRequest("p", false, "CA", 0, null));
    b.decideBid(new BidRequest("p", false, "TX", 0, null));
    assertEquals(a.decideBid(ANY_LEAD), b.decideBid(ANY_LEAD));
  }
}
