package org.leadex.exchange.auction;

import org.leadex.exchange.catalog.Buyer;
import org.leadex.exchange.money.Money;

/**
 * One buyer's part in one ping: its tier, what came of it, its bid (for bid, fixed_price and
 * below_floor), how long it took in microseconds, and a detail: the skip reason or the failure's
 * reason; and, when its campaign ranks by expected net, the return rate (basis points) its offer
 * was ranked with, recorded so the trace and a replay see what the decision saw. In a {@code best}
 * campaign {@code sharedBid} is the buyer's price for the lead shared (null: exclusive only), and
 * {@code bid} may be zero when it buys the shared lead only. Immutable.
 */
public record BidResult(Buyer buyer, int tier, BidOutcome outcome, Money bid, String bidId, long latencyMicros,
                        String detail, Integer returnRateBasisPoints, Money sharedBid) {

  public BidResult(Buyer buyer, int tier, BidOutcome outcome, Money bid, String bidId, long latencyMicros,
                   String detail) {
    this(buyer, tier, outcome, bid, bidId, latencyMicros, detail, null, null);
  }

  public BidResult(Buyer buyer, int tier, BidOutcome outcome, Money bid, String bidId, long latencyMicros,
                   String detail, Integer returnRateBasisPoints) {
    this(buyer, tier, outcome, bid, bidId, latencyMicros, detail, returnRateBasisPoints, null);
  }

  /** This result ranked with a return rate. */
  public BidResult withReturnRate(int basisPoints) {
    return new BidResult(buyer, tier, outcome, bid, bidId, latencyMicros, detail, basisPoints, sharedBid);
  }

  /**
   * This result as the shared side of a {@code best} decision sees it: an offer at its shared bid,
   * or, for a buyer without one (fixed-price buyers included), no offer.
   */
  public BidResult asSharedOffer() {
    if (!outcome.offers() || sharedBid == null) {
      return outcome.offers() ? new BidResult(buyer, tier, BidOutcome.NO_BID, null, bidId, latencyMicros,
          "no shared_bid", returnRateBasisPoints, null) : this;
    }
    return new BidResult(buyer, tier, outcome, sharedBid, bidId, latencyMicros, detail, returnRateBasisPoints, sharedBid);
  }

  /**
   * What an auction tier orders offers by, as an exact integer: bid in cents × (100 + the buyer's
   * bid modifier percent) × (10,000 − its return rate in basis points, 0 unless ranked by expected net).
   */
  public long rankingValue() {
    long rate = returnRateBasisPoints == null ? 0 : returnRateBasisPoints;
    return bid.cents() * (100 + buyer.bidModifierPercent()) * (10_000 - rate);
  }

  public static BidResult skipped(Buyer buyer, int tier, String reason) {
    return new BidResult(buyer, tier, BidOutcome.SKIPPED, null, null, 0, reason);
  }

  public static BidResult fixedPrice(Buyer buyer, int tier, Money price) {
    return new BidResult(buyer, tier, BidOutcome.FIXED_PRICE, price, null, 0, null);
  }

  /** An offer its prepaid buyer's wallet cannot cover: skipped, its bid kept for the trace. */
  public BidResult unaffordable(String why) {
    return new BidResult(buyer, tier, BidOutcome.SKIPPED, bid, bidId, latencyMicros, why, returnRateBasisPoints,
        sharedBid);
  }

  public BidResult belowFloor(String why) {
    return new BidResult(buyer, tier, BidOutcome.BELOW_FLOOR, bid, bidId, latencyMicros, why, returnRateBasisPoints,
        sharedBid);
  }
}
