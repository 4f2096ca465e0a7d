package org.leadex.exchange.replay;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.leadex.exchange.auction.BidOutcome;
import org.leadex.exchange.auction.BidResult;
import org.leadex.exchange.auction.Decision;
import org.leadex.exchange.auction.Offer;
import org.leadex.exchange.catalog.Buyer;
import org.leadex.exchange.catalog.Payout;
import org.leadex.exchange.catalog.Seller;
import org.leadex.exchange.catalog.Tier;
import org.leadex.exchange.money.Money;
import org.leadex.exchange.routing.DistributionPlan;
import org.leadex.exchange.routing.Filter;
import org.leadex.exchange.routing.Funds;
import org.leadex.exchange.routing.Rotation;

/**
 * Decides recorded pings again, with {@link DistributionPlan#decide} (the code that decided them
 * live), from their recorded bids under a changed plan, then plays their posts out from the
 * buyers' recorded answers. Deterministic: it holds only the replay's own counters (sales against
 * changed caps, and the assumptions it had to make). Not thread safe: one replay feeds it pings in
 * time order.
 *
 * <p>What it keeps from the record: every buyer's result (a buyer not asked then has no bid now);
 * a buyer skipped then (paused, closed, over a cap, short of funds) stays skipped unless its changed
 * filters or caps now rule it out anyway; the order of round-robin and weighted tiers whose buyers
 * the change leaves alone; each buyer's answer to the post. A recorded {@code below_floor} bid is
 * an offer again, for the changed floor to judge.
 */
final class PingReplayer {
  /** A sale, recorded or replayed: the buyer, what it pays, what the seller is owed on it. */
  record Sold(int buyerId, long priceCents, long payoutCents) {}

  private final PlanVersions plans;
  private final ReplayChanges changes;
  private final int campaignId;
  /** Replayed sales (count, cents) of buyers whose caps changed, per period start: "id:h:<epoch s>". */
  private final Map<String, long[]> capped = new HashMap<>();
  long assumedAccepts;
  long unchangedDecisions;

  PingReplayer(PlanVersions plans, ReplayChanges changes, int campaignId) {
    this.plans = plans;
    this.changes = changes;
    this.campaignId = campaignId;
  }

  /** What happened: the ping's recorded sales (none when it was not posted). */
  static List<Sold> actual(RecordedPing ping) {
    List<Sold> out = new ArrayList<>();
    if (ping.post() != null) {
      for (RecordedPing.Sale sale : ping.post().sales()) {
        out.add(new Sold(sale.buyerId(), sale.priceCents(), sale.payoutCents()));
      }
    }
    return out;
  }

  /** What would have happened under the changed plan. */
  List<Sold> replay(RecordedPing ping) {
    PlanVersions.Plan recorded = plans.recorded(campaignId, ping.planVersion());
    PlanVersions.Plan plan = plans.changed(campaignId, ping.planVersion());
    Decision decision = decide(ping, recorded, plan);
    if (ping.post() == null) {
      return List.of(); // only a posted ping can be sold
    }
    if (sameOffers(decision, ping)) {
      // the same offers in the same order: the post goes as it went
      unchangedDecisions++;
      List<Sold> sales = actual(ping);
      sales.forEach(s -> count(plan.buyersById().get(s.buyerId()), ping.receivedAt(), s.priceCents()));
      return sales;
    }
    if (!"sold".equals(ping.post().status()) && !"rejected".equals(ping.post().reason())
        && !"no_offer".equals(ping.post().reason())) {
      return List.of(); // closed for a reason of its own (a duplicate, an error, consent): not for buyers to change
    }
    return post(ping, decision, plan);
  }

  Decision decide(RecordedPing ping, PlanVersions.Plan recorded, PlanVersions.Plan plan) {
    Map<Integer, RecordedPing.Bid> bids = new HashMap<>();
    Map<Integer, Integer> returnRates = new HashMap<>();
    for (RecordedPing.Bid bid : ping.bids()) {
      bids.put(bid.buyerId(), bid);
      if (bid.returnRateBasisPoints() != null) {
        returnRates.put(bid.buyerId(), bid.returnRateBasisPoints());
      }
    }
    List<BidResult> results = new ArrayList<>();
    for (int t = 0; t < plan.campaign().tiers().size(); t++) {
      for (String code : plan.campaign().tiers().get(t).buyers()) {
        Buyer buyer = plan.buyers().get(code);
        if (buyer != null) {
          results.add(result(bids.get(buyer.id()), buyer, t, ping));
        }
      }
    }
    Seller seller = plan.sellers().get(ping.sellerId());
    Payout payout = seller == null ? new Payout.RevenueShare(java.math.BigDecimal.ZERO) : seller.payout();
    // Weighted draws are taken from the record below; this random only orders a tier the change altered.
    Rotation rotation = new Rotation(Map.of(), new SplittableRandom(ping.id().getLeastSignificantBits()), returnRates,
        Funds.UNLIMITED);
    Decision decided = DistributionPlan.decide(plan.campaign(), payout, results, rotation);
    return inRecordedTurns(decided, ping, recorded, plan);
  }

  private BidResult result(RecordedPing.Bid bid, Buyer buyer, int tier, RecordedPing ping) {
    if (bid == null) {
      return BidResult.skipped(buyer, tier, "not asked at the time");
    }
    BidOutcome outcome = BidOutcome.ofCode(bid.outcome());
    if (outcome == BidOutcome.BELOW_FLOOR) {
      outcome = buyer.bids() ? BidOutcome.BID : BidOutcome.FIXED_PRICE; // the floor is judged again
    }
    BidResult result = new BidResult(buyer, tier, outcome, bid.bidCents() == null ? null : Money.ofCents(bid.bidCents()),
        null, 0, bid.detail(), null, bid.sharedBidCents() == null ? null : Money.ofCents(bid.sharedBidCents()));
    if (!outcome.offers()) {
      return result;
    }
    if (changes.changesFilters(buyer.code())) {
      for (Filter filter : buyer.filters()) {
        Optional<String> reject = filter.reject(ping.lead());
        if (reject.isPresent()) {
          return BidResult.skipped(buyer, tier, reject.get());
        }
      }
    }
    if (changes.changesCaps(buyer.code())) {
      Optional<String> cap = capReached(buyer, ping.receivedAt());
      if (cap.isPresent()) {
        return BidResult.skipped(buyer, tier, cap.get());
      }
    }
    return result;
  }

  /**
   * Round-robin turns and weighted draws as they fell: in each such tier whose buyers and mode the
   * change leaves alone, offers keep their recorded order (an offer the record lacks goes after).
   */
  private static Decision inRecordedTurns(Decision decided, RecordedPing ping, PlanVersions.Plan recorded,
                                          PlanVersions.Plan plan) {
    Map<Integer, Integer> position = new HashMap<>();
    for (int i = 0; i < ping.offers().size(); i++) {
      position.put(ping.offers().get(i).buyerId(), i);
    }
    List<Offer> offers = new ArrayList<>(decided.offers());
    int start = 0;
    while (start < offers.size()) {
      int tier = offers.get(start).tier();
      int end = start;
      while (end < offers.size() && offers.get(end).tier() == tier) {
        end++;
      }
      Tier now = plan.campaign().tiers().get(tier);
      boolean turns = now.mode() == Tier.Mode.ROUND_ROBIN || now.mode() == Tier.Mode.WEIGHTED;
      if (turns && tier < recorded.campaign().tiers().size()
          && recorded.campaign().tiers().get(tier).mode() == now.mode()
          && recorded.tierBuyers(tier).equals(now.buyers())) {
        offers.subList(start, end).sort(java.util.Comparator.comparingInt(
            (Offer o) -> position.getOrDefault(o.buyerId(), Integer.MAX_VALUE)));
      }
      start = end;
    }
    return new Decision(decided.results(), List.copyOf(offers), decided.sharedBuyers(), decided.comparison());
  }

  private static boolean sameOffers(Decision decision, RecordedPing ping) {
    if (decision.sharedBuyers() != ping.sharedBuyers() || decision.offers().size() != ping.offers().size()) {
      return false;
    }
    for (int i = 0; i < ping.offers().size(); i++) {
      Offer now = decision.offers().get(i);
      RecordedPing.Offer then = ping.offers().get(i);
      if (now.buyerId() != then.buyerId() || now.price().cents() != then.priceCents()) {
        return false;
      }
    }
    return true;
  }

  /**
   * The post under the replayed offers: each buyer answers as it answered then; a buyer that was
   * never offered the lead is assumed to accept (counted in {@link #assumedAccepts}).
   */
  private List<Sold> post(RecordedPing ping, Decision decision, PlanVersions.Plan plan) {
    int wanted = decision.shared() ? decision.sharedBuyers() : 1;
    List<Offer> taken = new ArrayList<>();
    for (Offer offer : decision.offers()) {
      if (taken.size() == wanted) {
        break;
      }
      Buyer buyer = plan.buyersById().get(offer.buyerId());
      if (buyer != null && changes.changesCaps(buyer.code()) && capReached(buyer, ping.receivedAt()).isPresent()) {
        continue;
      }
      Boolean answered = ping.post().answers().get(offer.buyerId());
      boolean bought = ping.post().sales().stream().anyMatch(s -> s.buyerId() == offer.buyerId());
      if (answered == null && !bought) {
        assumedAccepts++;
      }
      if (bought || answered == null || answered) {
        taken.add(offer);
        count(buyer, ping.receivedAt(), offer.price().cents());
      }
    }
    Seller seller = plan.sellers().get(ping.sellerId());
    Payout payout = seller == null ? new Payout.RevenueShare(java.math.BigDecimal.ZERO) : seller.payout();
    List<Sold> sales = new ArrayList<>();
    Offer carrier = null;
    for (Offer offer : taken) {
      long owed = payout.sellerPrice(offer.price()).cents();
      if (decision.shared() && payout instanceof Payout.Fixed) {
        owed = 0; // a fixed payout is paid once per shared lead, on its highest-priced sale
        carrier = carrier == null || offer.price().compareTo(carrier.price()) > 0 ? offer : carrier;
      }
      sales.add(new Sold(offer.buyerId(), offer.price().cents(), owed));
    }
    if (carrier != null) {
      for (int i = 0; i < sales.size(); i++) {
        if (sales.get(i).buyerId() == carrier.buyerId()) {
          sales.set(i, new Sold(carrier.buyerId(), sales.get(i).priceCents(), ((Payout.Fixed) payout).amount().cents()));
        }
      }
    }
    return sales;
  }

  private Optional<String> capReached(Buyer buyer, Instant at) {
    long[] hour = capped.getOrDefault(key(buyer, at, ChronoUnit.HOURS), new long[2]);
    long[] day = capped.getOrDefault(key(buyer, at, ChronoUnit.DAYS), new long[2]);
    return buyer.caps().reached(buyer.schedule().orElse(null), at, (int) hour[0], (int) day[0], Money.ofCents(day[1]));
  }

  /** A replayed sale counts against its buyer's changed caps. */
  private void count(Buyer buyer, Instant at, long cents) {
    if (buyer == null || !changes.changesCaps(buyer.code())) {
      return;
    }
    for (ChronoUnit unit : new ChronoUnit[] {ChronoUnit.HOURS, ChronoUnit.DAYS}) {
      long[] c = capped.computeIfAbsent(key(buyer, at, unit), k -> new long[2]);
      c[0]++;
      c[1] += cents;
    }
  }

  /** The buyer's hour or day (in its schedule's time zone) that {@code at} falls in. */
  private static String key(Buyer buyer, Instant at, ChronoUnit unit) {
    ZonedDateTime start = at.atZone(buyer.zone()).truncatedTo(unit);
    return buyer.id() + ":" + unit + ":" + start.toEpochSecond();
  }
}
