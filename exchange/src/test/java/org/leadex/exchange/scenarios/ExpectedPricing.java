package org.leadex.exchange.scenarios;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * RevenueReportIT's prices, worked out from the contract's auction and payout rules on their own,
 * without any of the exchange's code: what each lead of the test day was offered, at what price,
 * and what its seller was quoted and paid. The test's campaigns: {@code sp} second price, {@code fp}
 * first price with a fixed-price fallback buyer {@code f}, {@code sh} shared among
 * {@link #SHARED_BUYERS}; its sellers: {@code rs} revenue share of 80 %, {@code fx} a fixed payout.
 */
final class ExpectedPricing {
  static final BigDecimal FLOOR = new BigDecimal("1.00");
  static final BigDecimal FIXED_PAYOUT = new BigDecimal("4.00");
  static final BigDecimal FIXED_PRICE = new BigDecimal("6.00");
  static final int SHARED_BUYERS = 2;

  private ExpectedPricing() {}

  /** One offer: the buyer, its own bid, and the price it pays if it takes the lead. */
  record Offer(String buyer, BigDecimal bid, BigDecimal price) {}

  /** The offers in post order, priced as the contract's auction rules say, computed here on their own. */
  static List<Offer> offers(RevenueModel.Lead lead, Map<String, BigDecimal> bids) {
    BigDecimal minimum = lead.seller.equals("fx") ? FIXED_PAYOUT.max(FLOOR) : FLOOR;
    List<String> tier = lead.campaign.equals("fp") ? List.of("a", "b") : List.of("a", "b", "c");
    List<String> ranked = new ArrayList<>();
    for (String b : tier) {
      if (bids.containsKey(b) && bids.get(b).compareTo(minimum) >= 0) {
        ranked.add(b);
      }
    }
    ranked.sort(Comparator.comparing((String b) -> bids.get(b)).reversed()); // stable: ties keep tier order
    List<Offer> offers = new ArrayList<>();
    for (int i = 0; i < ranked.size(); i++) {
      BigDecimal own = bids.get(ranked.get(i));
      BigDecimal price = own;
      if (lead.campaign.equals("sp")) {
        BigDecimal under = i + 1 < ranked.size() ? bids.get(ranked.get(i + 1)).add(new BigDecimal("0.01")) : BigDecimal.ZERO;
        price = own.min(under.max(minimum));
      }
      offers.add(new Offer(ranked.get(i), own, price));
    }
    if (lead.campaign.equals("fp") && FIXED_PRICE.compareTo(minimum) >= 0) {
      offers.add(new Offer("f", FIXED_PRICE, FIXED_PRICE));
    }
    return offers;
  }

  /** The ping's quote: the seller's payout on the first offer, or for a shared lead on the first offers together. */
  static BigDecimal quote(RevenueModel.Lead lead, List<Offer> offers) {
    if (!lead.campaign.equals("sh")) {
      return payout(lead.seller, offers.get(0).price());
    }
    if (lead.seller.equals("fx")) {
      return FIXED_PAYOUT;
    }
    BigDecimal sum = BigDecimal.ZERO;
    for (Offer offer : offers.subList(0, Math.min(SHARED_BUYERS, offers.size()))) {
      sum = sum.add(payout(lead.seller, offer.price()));
    }
    return sum;
  }

  static BigDecimal payout(String seller, BigDecimal price) {
    return seller.equals("fx") ? FIXED_PAYOUT : price.multiply(new BigDecimal("0.80")).setScale(2, RoundingMode.HALF_UP);
  }

  static long cents(BigDecimal dollars) {
    return dollars.movePointRight(2).longValueExact();
  }
}
