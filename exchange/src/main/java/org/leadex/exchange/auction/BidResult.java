package org.leadex.exchange.auction;

import org.leadex.exchange.catalog.Buyer;
import org.leadex.exchange.money.Money;

/**
 * One buyer's part in one ping: its tier, what came of it, its bid (for bid, fixed_price and
 * below_floor), how long it took in microseconds, and a detail: the skip reason or the failure's
 * reason. Immutable.
 */
public record BidResult(Buyer buyer, int tier, BidOutcome outcome, Money bid, String bidId, long latencyMicros,
                        String detail) {

  public static BidResult skipped(Buyer buyer, int tier, String reason) {
    return new BidResult(buyer, tier, BidOutcome.SKIPPED, null, null, 0, reason);
  }

  public static BidResult fixedPrice(Buyer buyer, int tier, Money price) {
    return new BidResult(buyer, tier, BidOutcome.FIXED_PRICE, price, null, 0, null);
  }

  public BidResult belowFloor(String why) {
    return new BidResult(buyer, tier, BidOutcome.BELOW_FLOOR, bid, bidId, latencyMicros, why);
  }
}
