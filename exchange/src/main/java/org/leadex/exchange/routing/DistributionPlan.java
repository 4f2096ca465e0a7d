package org.leadex.exchange.routing;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.leadex.exchange.auction.BidResult;
import org.leadex.exchange.auction.Decision;
import org.leadex.exchange.auction.Offer;
import org.leadex.exchange.catalog.AuctionType;
import org.leadex.exchange.catalog.Buyer;
import org.leadex.exchange.catalog.Campaign;
import org.leadex.exchange.catalog.Payout;
import org.leadex.exchange.catalog.SalePlan;
import org.leadex.exchange.catalog.Tier;
import org.leadex.exchange.money.Money;

/**
 * Turns the buyers' answers into the ordered offers of a ping. Pure: the same answers and plan
 * always give the same offers, which is what lets a post on another instance, a trace and a replay
 * agree with the ping.
 *
 * <p>Rules, in order: an offer under the campaign's floor, or under a fixed seller payout (the
 * exchange never sells at a loss), becomes {@code below_floor}. Tiers go in campaign order. In an
 * auction tier offers go by descending bid, ties by the tier's listed order; in a waterfall tier in
 * listed order (by ranking value when buyers have bid modifiers or the campaign ranks by expected
 * net: bid × (1 + modifier %) × (1 − return rate); the price is still the bid); in a round-robin tier the buyer whose last sale is oldest first (never-sold buyers
 * first, in listed order); in a weighted tier by a random draw in proportion to the weights. Under second price, an auction tier's offer pays min(its bid, max(the next offer's
 * bid in the tier + 0.01, the floor, a fixed seller payout)); the last offer of the tier pays
 * min(its bid, max(floor, fixed payout)). Waterfall offers always pay their own bid.
 *
 * <p>Shared campaigns order offers the same way and every offer pays its own bid; the post sells to
 * the first {@code max_buyers} that accept. A {@code best} campaign decides both ways and keeps the
 * one with the larger margin for the exchange ({@link #best}). Under a fixed seller payout each
 * shared offer must still cover the whole payout, so that a lead one buyer alone ends up taking
 * is never sold at a loss.
 */
public final class DistributionPlan {
  private DistributionPlan() {}

  /** {@code results} must hold one entry per buyer, grouped by tier in campaign order and listed order within a tier. */
  public static Decision decide(Campaign campaign, Payout payout, List<BidResult> results, Rotation rotation) {
    SalePlan sale = campaign.sale();
    return switch (sale.mode()) {
      case EXCLUSIVE -> ordered(campaign, payout, results, rotation, false);
      case SHARED -> {
        Decision shared = ordered(campaign, payout, results, rotation, true);
        yield new Decision(shared.results(), shared.offers(), sale.maxBuyers(), null);
      }
      case BEST -> best(campaign, payout, results, rotation, sale.maxBuyers());
    };
  }

  /**
   * A {@code best} campaign's choice: the exchange's margin on the top exclusive offer against its
   * margin on the top {@code maxBuyers} shared offers (each at its shared bid, first price); shared
   * only when it earns strictly more. The trace keeps every buyer's result as it answered (both bids).
   */
  private static Decision best(Campaign campaign, Payout payout, List<BidResult> results, Rotation rotation,
                               int maxBuyers) {
    Decision exclusive = ordered(campaign, payout, results, rotation, false);
    List<BidResult> sharedView = new ArrayList<>(results.size());
    for (BidResult result : results) {
      sharedView.add(result.asSharedOffer());
    }
    Decision shared = ordered(campaign, payout, sharedView, rotation, true);
    Money exclusiveMargin = null;
    if (!exclusive.offers().isEmpty()) {
      Money price = exclusive.offers().get(0).price();
      exclusiveMargin = Money.ofCents(price.cents() - payout.sellerPrice(price).cents());
    }
    Money sharedMargin = null;
    if (!shared.offers().isEmpty()) {
      List<Money> prices = new ArrayList<>();
      long gross = 0;
      for (Offer offer : shared.offers().subList(0, Math.min(maxBuyers, shared.offers().size()))) {
        prices.add(offer.price());
        gross += offer.price().cents();
      }
      sharedMargin = Money.ofCents(gross - payout.sharedPayout(prices).cents());
    }
    boolean sellShared = sharedMargin != null
        && (exclusiveMargin == null || sharedMargin.compareTo(exclusiveMargin) > 0); // ties go to exclusive
    Decision.Comparison comparison = new Decision.Comparison(exclusiveMargin, sharedMargin, sellShared);
    return sellShared ? new Decision(exclusive.results(), shared.offers(), maxBuyers, comparison)
        : new Decision(exclusive.results(), exclusive.offers(), 0, comparison);
  }

  /**
   * The offers in post order, each buyer at most once. {@code firstPrice}: every offer pays its own
   * bid (shared sales), whatever the campaign's auction type.
   */
  private static Decision ordered(Campaign campaign, Payout payout, List<BidResult> results, Rotation rotation,
                                  boolean firstPrice) {
    Money minimum = Money.max(campaign.floor(), payout.minimumBuyerPrice());
    List<BidResult> screened = new ArrayList<>(results.size());
    for (BidResult result : results) {
      BidResult ranked = campaign.rankByExpectedNet() && result.outcome().offers()
          ? result.withReturnRate(rotation.returnRates().getOrDefault(result.buyer().id(), 0)) : result;
      screened.add(screen(ranked, campaign.floor(), payout.minimumBuyerPrice()));
    }
    List<Offer> offers = new ArrayList<>();
    for (int t = 0; t < campaign.tiers().size(); t++) {
      Tier tier = campaign.tiers().get(t);
      List<BidResult> offered = new ArrayList<>();
      for (BidResult result : screened) {
        // a zero bid is a best campaign's shared-only bid: no exclusive offer
        if (result.tier() == t && result.outcome().offers() && result.bid().cents() > 0) {
          offered.add(result);
        }
      }
      boolean auction = tier.mode() == Tier.Mode.AUCTION;
      switch (tier.mode()) {
        case AUCTION -> offered.sort(Comparator.comparingLong(BidResult::rankingValue).reversed()); // stable: ties keep listed order
        case ROUND_ROBIN -> offered.sort(Comparator.comparing( // never sold first, then longest waiting; stable
            (BidResult r) -> rotation.lastSold().getOrDefault(r.buyer().id(), Instant.MIN)));
        case WEIGHTED -> offered = weightedOrder(tier, offered, rotation.random());
        case WATERFALL -> { }
      }
      boolean secondPrice = auction && !firstPrice && campaign.auction() == AuctionType.SECOND_PRICE;
      // Priced from the tier's last offer up, so that a second price is set by the next offer that
      // stays: an offer whose prepaid buyer cannot cover its price is dropped (traced as skipped).
      Offer[] tierOffers = new Offer[offered.size()];
      BidResult nextKept = null;
      for (int i = offered.size() - 1; i >= 0; i--) {
        BidResult r = offered.get(i);
        Money price = r.bid();
        if (secondPrice) {
          Money next = nextKept != null ? nextKept.bid().plus(Money.ONE_CENT) : Money.ZERO;
          price = Money.min(r.bid(), Money.max(next, minimum));
        }
        Money spendable = rotation.funds().spendable(r.buyer());
        if (spendable != null && spendable.compareTo(price) < 0) {
          for (int k = 0; k < screened.size(); k++) {
            if (screened.get(k) == r) {
              screened.set(k, r.unaffordable(Funds.shortOf(spendable, price)));
            }
          }
          continue;
        }
        tierOffers[i] = new Offer(r.buyer().id(), r.buyer().code(), t, r.bid(), price, r.bidId());
        nextKept = r;
      }
      for (Offer offer : tierOffers) {
        if (offer != null) {
          offers.add(offer);
        }
      }
    }
    return new Decision(List.copyOf(screened), List.copyOf(offers));
  }

  /** A random order in which each next buyer is drawn with probability weight / remaining weights. */
  private static List<BidResult> weightedOrder(Tier tier, List<BidResult> offered, RandomGenerator random) {
    List<BidResult> left = new ArrayList<>(offered);
    List<BidResult> order = new ArrayList<>(offered.size());
    while (!left.isEmpty()) {
      long total = 0;
      for (BidResult r : left) {
        total += weight(tier, r);
      }
      long draw = random.nextLong(total);
      int pick = 0;
      long sum = weight(tier, left.get(0));
      while (sum <= draw) {
        pick++;
        sum += weight(tier, left.get(pick));
      }
      order.add(left.remove(pick));
    }
    return order;
  }

  private static int weight(Tier tier, BidResult r) {
    return tier.weights().get(tier.buyers().indexOf(r.buyer().code()));
  }

  private static BidResult screen(BidResult result, Money floor, Money sellerMinimum) {
    if (!result.outcome().offers() || result.bid().cents() == 0) {
      return result;
    }
    if (result.bid().compareTo(floor) < 0) {
      return result.belowFloor("bid " + result.bid() + " < floor " + floor);
    }
    if (result.bid().compareTo(sellerMinimum) < 0) {
      return result.belowFloor("bid " + result.bid() + " < seller payout " + sellerMinimum);
    }
    return result;
  }

  /** Whether a buyer may take part in a ping, or why not (the trace's {@code skipped}). */
  public static Optional<String> skipReason(Buyer buyer,
                                                      JsonNode lead, int score,
                                                      Instant now, BuyerCounters used) {
    if (!buyer.active()) {
      return Optional.of("paused");
    }
    for (Filter filter : buyer.filters()) {
      Optional<String> reject = filter.reject(lead);
      if (reject.isPresent()) {
        return reject;
      }
    }
    if (buyer.schedule().isPresent()) {
      Optional<String> closed = buyer.schedule().get().closed(now);
      if (closed.isPresent()) {
        return closed;
      }
    }
    Optional<String> cap = buyer.caps().reached(buyer.schedule().orElse(null), now, used.soldHour(),
        used.soldDay(), used.spentDay());
    if (cap.isPresent()) {
      return cap;
    }
    if (buyer.maxConcurrent() > 0 && used.open() >= buyer.maxConcurrent()) {
      return Optional.of("capacity: " + used.open() + " of " + buyer.maxConcurrent() + " open");
    }
    if (score < buyer.minScore()) {
      return Optional.of("score " + score + " < " + buyer.minScore());
    }
    if (!buyer.bids() && buyer.fixedPrice().isEmpty()) {
      return Optional.of("no bid_url and no fixed_price");
    }
    return Optional.empty();
  }
}
