package org.leadex.exchange.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.leadex.exchange.auction.BidOutcome;
import org.leadex.exchange.auction.BidResult;
import org.leadex.exchange.auction.Decision;
import org.leadex.exchange.auction.Offer;
import org.leadex.exchange.catalog.AuctionType;
import org.leadex.exchange.catalog.Buyer;
import org.leadex.exchange.catalog.Campaign;
import org.leadex.exchange.catalog.Payout;
import org.leadex.exchange.catalog.Tier;
import org.leadex.exchange.money.Money;

/** The pure ordering and pricing of offers. */
class DistributionPlanTest {
  private static final Payout SHARE = new Payout.RevenueShare(BigDecimal.valueOf(80));

  private static Buyer buyer(int id) {
    return new Buyer(id, "b" + id, "b" + id, Optional.of(URI.create("http://127.0.0.1/bid")),
        URI.create("http://127.0.0.1/post"), Optional.empty(), 100, List.of(), 0, true);
  }

  private static Campaign campaign(AuctionType auction, String floor, Tier... tiers) {
    return new Campaign(1, "c", "v", Map.of(), Set.of(), 150, 120, 3000, Money.exact(new BigDecimal(floor)).orElseThrow(),
        auction, List.of(), List.of(tiers), 0, org.leadex.exchange.catalog.ReturnPolicy.NONE, false);
  }

  private static BidResult bid(int buyer, int tier, String price) {
    return new BidResult(buyer(buyer), tier, BidOutcome.BID, Money.exact(new BigDecimal(price)).orElseThrow(), null, 1000, null);
  }

  private static Decision decide(Campaign c, Payout payout, List<BidResult> results) {
    return DistributionPlan.decide(c, payout, results, Rotation.none(new java.util.Random(1)));
  }

  private static List<String> order(Decision d) {
    List<String> out = new ArrayList<>();
    for (Offer o : d.offers()) {
      out.add(o.buyerCode() + "@" + o.price());
    }
    return out;
  }

  @Test
  void auctionOffersGoByBidWithTiesInListedOrderAndWaterfallInListedOrder() {
    Campaign c = campaign(AuctionType.FIRST_PRICE, "0",
        new Tier(Tier.Mode.AUCTION, List.of("b1", "b2", "b3")), new Tier(Tier.Mode.WATERFALL, List.of("b4", "b5")));
    Decision d = decide(c, SHARE, List.of(bid(1, 0, "5.00"), bid(2, 0, "9.00"), bid(3, 0, "5.00"),
        bid(4, 1, "2.00"), bid(5, 1, "30.00")));
    assertEquals(List.of("b2@9.00", "b1@5.00", "b3@5.00", "b4@2.00", "b5@30.00"), order(d));
  }

  @Test
  void secondPricePaysTheNextBidInTheTierPlusOneCentCappedByTheOwnBid() {
    Campaign c = campaign(AuctionType.SECOND_PRICE, "1.00", new Tier(Tier.Mode.AUCTION, List.of("b1", "b2", "b3")),
        new Tier(Tier.Mode.WATERFALL, List.of("b4")));
    Decision d = decide(c, SHARE, List.of(bid(1, 0, "10.00"), bid(2, 0, "10.00"), bid(3, 0, "4.00"),
        bid(4, 1, "50.00")));
    // a tie pays its own bid (next + 0.01 would exceed it); the last in the tier pays the floor;
    // the waterfall tier is not part of the auction and pays its bid
    assertEquals(List.of("b1@10.00", "b2@4.01", "b3@1.00", "b4@50.00"), order(d));
  }

  @Test
  void anOfferItsPrepaidBuyerCannotCoverIsDroppedAndTheNextKeptOfferSetsTheSecondPrice() {
    Campaign c = campaign(AuctionType.SECOND_PRICE, "1.00", new Tier(Tier.Mode.AUCTION, List.of("b1", "b2", "b3")));
    List<BidResult> bids = List.of(bid(1, 0, "10.00"), bid(2, 0, "9.00"), bid(3, 0, "4.00"));
    // b2 could spend 3.00: its price (4.01) is out of reach, so b1 pays b3's bid + 0.01, not b2's
    Map<Integer, Money> spendable = Map.of(1, Money.ofCents(800), 2, Money.ofCents(300));
    Funds funds = b -> spendable.get(b.id());
    Decision d = DistributionPlan.decide(c, SHARE, bids, new Rotation(Map.of(), new java.util.Random(1), Map.of(), funds));
    assertEquals(List.of("b1@4.01", "b3@1.00"), order(d));
    assertEquals(BidOutcome.SKIPPED, d.results().get(1).outcome());
    assertEquals("balance: 3.00 < 4.01", d.results().get(1).detail());
    assertEquals(Money.ofCents(900), d.results().get(1).bid(), "the bid stays in the trace");
    // with 5.00 to spend b2 stays (it pays 4.01), and b1 now pays 9.01, more than its 8.00
    Map<Integer, Money> more = Map.of(1, Money.ofCents(800), 2, Money.ofCents(500));
    Decision d2 = DistributionPlan.decide(c, SHARE, bids,
        new Rotation(Map.of(), new java.util.Random(1), Map.of(), b -> more.get(b.id())));
    assertEquals(List.of("b2@4.01", "b3@1.00"), order(d2));
    assertEquals("balance: 8.00 < 9.01", d2.results().get(0).detail());
  }

  @Test
  void aFixedPayoutIsTheLeastABuyerCanPay() {
    Campaign c = campaign(AuctionType.SECOND_PRICE, "1.00", new Tier(Tier.Mode.AUCTION, List.of("b1", "b2", "b3")));
    Decision d = decide(c, new Payout.Fixed(Money.ofCents(600)),
        List.of(bid(1, 0, "10.00"), bid(2, 0, "5.00"), bid(3, 0, "7.00")));
    // b2 is under the payout; b3, last in its tier, pays the payout (not the lower floor)
    assertEquals(List.of("b1@7.01", "b3@6.00"), order(d));
    assertEquals(BidOutcome.BELOW_FLOOR, d.results().get(1).outcome());
  }

  @Test
  void noOffersWhenNobodyBids() {
    Campaign c = campaign(AuctionType.FIRST_PRICE, "0", new Tier(Tier.Mode.AUCTION, List.of("b1")));
    Decision d = decide(c, SHARE,
        List.of(new BidResult(buyer(1), 0, BidOutcome.TIMEOUT, null, null, 150_000, "no answer")));
    assertEquals(List.of(), d.offers());
    assertEquals(Optional.empty(), d.price());
  }

  @Test
  void roundRobinOffersTheLongestWaitingBuyerFirstAndNeverSoldOnesInListedOrder() {
    Campaign c = campaign(AuctionType.FIRST_PRICE, "0", new Tier(Tier.Mode.ROUND_ROBIN, List.of("b1", "b2", "b3", "b4")));
    java.time.Instant t = java.time.Instant.parse("2026-11-23T10:00:00Z");
    Rotation rotation = new Rotation(Map.of(1, t.plusSeconds(30), 2, t, 4, t.plusSeconds(10)), new java.util.Random(1));
    Decision d = DistributionPlan.decide(c, SHARE, List.of(bid(1, 0, "9.00"), bid(2, 0, "1.00"), bid(3, 0, "5.00"),
        bid(4, 0, "7.00")), rotation);
    assertEquals(List.of("b3@5.00", "b2@1.00", "b4@7.00", "b1@9.00"), order(d));
  }

  @Test
  void weightedDrawsFollowTheWeights() {
    Campaign c = campaign(AuctionType.FIRST_PRICE, "0",
        new Tier(Tier.Mode.WEIGHTED, List.of("b1", "b2"), List.of(70, 30)));
    java.util.Random random = new java.util.Random(42);
    int first = 0;
    int n = 10_000;
    for (int i = 0; i < n; i++) {
      Decision d = DistributionPlan.decide(c, SHARE, List.of(bid(1, 0, "2.00"), bid(2, 0, "3.00")),
          new Rotation(Map.of(), random));
      assertEquals(2, d.offers().size());
      first += d.offers().get(0).buyerCode().equals("b1") ? 1 : 0;
    }
    // binomial(10000, 0.7): standard deviation 46; 0.7 +- 0.02 is more than 4 of them
    assertEquals(0.7, first / (double) n, 0.02);
  }

  private static Buyer buyerWithModifier(int id, int modifierPercent) {
    return new Buyer(id, "b" + id, "b" + id, Optional.of(URI.create("http://127.0.0.1/bid")),
        URI.create("http://127.0.0.1/post"), Optional.empty(), 100, List.of(), 0, true, Optional.empty(),
        org.leadex.exchange.catalog.Caps.NONE, 0, modifierPercent, org.leadex.exchange.catalog.AddressAllowList.ANY,
        Optional.empty(), Optional.empty());
  }

  private static Campaign rankedByExpectedNet(AuctionType auction) {
    return new Campaign(1, "c", "v", Map.of(), Set.of(), 150, 120, 3000, Money.ZERO, auction, List.of(),
        List.of(new Tier(Tier.Mode.AUCTION, List.of("b1", "b2", "b3"))), 0,
        org.leadex.exchange.catalog.ReturnPolicy.NONE, true);
  }

  @Test
  void expectedNetRanksByBidTimesOneMinusTheReturnRateWhileEachPaysItsOwnBid() {
    // b1 bids 10.00 but returns 30 % of what it buys (7.00 expected); b2 bids 8.00 and returns nothing.
    Rotation rotation = new Rotation(Map.of(), new java.util.Random(1), Map.of(1, 3_000));
    Decision d = DistributionPlan.decide(rankedByExpectedNet(AuctionType.FIRST_PRICE), SHARE,
        List.of(bid(1, 0, "10.00"), bid(2, 0, "8.00")), rotation);
    assertEquals(List.of("b2@8.00", "b1@10.00"), order(d));
    assertEquals(3_000, d.results().get(0).returnRateBasisPoints(), "the rate the ranking used is kept for the trace");
    // Ranked by bid, the same answers keep b1 first.
    assertEquals(List.of("b1@10.00", "b2@8.00"), order(decide(
        campaign(AuctionType.FIRST_PRICE, "0", new Tier(Tier.Mode.AUCTION, List.of("b1", "b2"))),
        SHARE, List.of(bid(1, 0, "10.00"), bid(2, 0, "8.00")))));
  }

  @Test
  void aBidModifierReordersWithoutChangingThePriceAndSecondPriceReadsTheNextRawBid() {
    Campaign c = campaign(AuctionType.SECOND_PRICE, "1.00", new Tier(Tier.Mode.AUCTION, List.of("b1", "b2", "b3")));
    BidResult boosted = new BidResult(buyerWithModifier(1, 50), 0, BidOutcome.BID, Money.ofCents(800), null, 1000, null);
    BidResult lowered = new BidResult(buyerWithModifier(2, -50), 0, BidOutcome.BID, Money.ofCents(1500), null, 1000, null);
    Decision d = decide(c, SHARE, List.of(boosted, lowered, bid(3, 0, "9.00")));
    // Ranking values: b1 8.00 × 1.5 = 12.00, b3 9.00, b2 15.00 × 0.5 = 7.50.
    // b1 pays min(8.00, 9.00 + 0.01) = 8.00; b3 pays min(9.00, 15.00 + 0.01) = 9.00; b2, last, the floor.
    assertEquals(List.of("b1@8.00", "b3@9.00", "b2@1.00"), order(d));
  }
  private static Campaign selling(org.leadex.exchange.catalog.SalePlan sale, AuctionType auction, Tier tier) {
    return new Campaign(1, "c", "v", Map.of(), Set.of(), 150, 120, 3000, Money.ZERO, auction, List.of(), List.of(tier), 0,
        org.leadex.exchange.catalog.ReturnPolicy.NONE, false, 30, sale);
  }

  private static BidResult dual(int buyer, String bid, String shared) {
    return new BidResult(buyer(buyer), 0, BidOutcome.BID, Money.exact(new BigDecimal(bid)).orElseThrow(), null, 1000,
        null, null, shared == null ? null : Money.exact(new BigDecimal(shared)).orElseThrow());
  }

  @Test
  void sharedOffersPayTheirOwnBidsEvenInASecondPriceCampaignAndTheQuoteSumsTheFirstMaxBuyers() {
    Campaign c = selling(new org.leadex.exchange.catalog.SalePlan(org.leadex.exchange.catalog.SalePlan.Mode.SHARED, 2),
        AuctionType.SECOND_PRICE, new Tier(Tier.Mode.AUCTION, List.of("b1", "b2", "b3")));
    Decision d = decide(c, SHARE, List.of(bid(1, 0, "10.00"), bid(2, 0, "8.00"), bid(3, 0, "6.00")));
    assertEquals(List.of("b1@10.00", "b2@8.00", "b3@6.00"), order(d));
    assertEquals(2, d.sharedBuyers());
    assertEquals(Optional.of(Money.ofCents(1800)), d.price());
    assertEquals(Optional.of(Money.ofCents(1440)), d.sellerPrice(SHARE));
    assertEquals(Optional.of(Money.ofCents(400)), d.sellerPrice(new Payout.Fixed(Money.ofCents(400))));
  }

  @Test
  void bestComparesTheExchangesMarginsAndGivesTiesToExclusive() {
    Campaign c = selling(new org.leadex.exchange.catalog.SalePlan(org.leadex.exchange.catalog.SalePlan.Mode.BEST, 3),
        AuctionType.FIRST_PRICE, new Tier(Tier.Mode.AUCTION, List.of("b1", "b2", "b3")));
    // exclusive 12.00 against shared 7 + 6 + 5 = 18.00: shared
    Decision shared = decide(c, SHARE, List.of(dual(1, "12.00", "7.00"), dual(2, "10.00", "6.00"),
        dual(3, "8.00", "5.00")));
    assertEquals(3, shared.sharedBuyers());
    assertEquals(List.of("b1@7.00", "b2@6.00", "b3@5.00"), order(shared));
    assertEquals(Money.ofCents(360), shared.comparison().sharedMargin());
    // a tie (18.00 either way) goes to exclusive
    Decision tie = decide(c, SHARE, List.of(dual(1, "18.00", "7.00"), dual(2, "10.00", "6.00"),
        dual(3, "8.00", "5.00")));
    assertEquals(0, tie.sharedBuyers());
    assertEquals(List.of("b1@18.00", "b2@10.00", "b3@8.00"), order(tie));
    // a buyer without a shared bid is on the exclusive side only; a zero bid with one on the shared side only
    Decision split = decide(c, SHARE, List.of(dual(1, "5.00", null), dual(2, "0", "4.00"), dual(3, "3.00", "3.00")));
    assertEquals(3, split.sharedBuyers(), "7.00 shared beats 5.00 exclusive");
    assertEquals(List.of("b2@4.00", "b3@3.00"), order(split));
  }
}
