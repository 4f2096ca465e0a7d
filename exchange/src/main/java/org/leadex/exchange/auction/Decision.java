package org.leadex.exchange.auction;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.leadex.exchange.catalog.Payout;
import org.leadex.exchange.money.Money;

/**
 * The outcome of a ping: every buyer's result (as the trace shows it), the offers in the order the
 * post will try them, and how the lead is to be sold: to the first offer that accepts
 * ({@code sharedBuyers} 0, exclusive), or shared with up to {@code sharedBuyers} of them. The quote
 * is the first offer, or for a shared lead the first {@code sharedBuyers} offers together. Immutable.
 *
 * @param comparison for a {@code best} campaign, the margins it compared; null otherwise
 */
public record Decision(List<BidResult> results, List<Offer> offers, int sharedBuyers, Comparison comparison) {

  /**
   * What a {@code best} campaign weighed: the exchange's margin selling exclusively to the top
   * offer, and selling shared to the top shared offers (null when a side had no offer).
   */
  public record Comparison(Money exclusiveMargin, Money sharedMargin, boolean shared) {}

  /** An exclusive decision. */
  public Decision(List<BidResult> results, List<Offer> offers) {
    this(results, offers, 0, null);
  }

  public boolean shared() {
    return sharedBuyers > 0;
  }

  public Optional<Offer> winner() {
    return offers.isEmpty() ? Optional.empty() : Optional.of(offers.get(0));
  }

  /** The offers the quote counts on: the first, or for a shared lead the first {@code sharedBuyers}. */
  public List<Offer> quoted() {
    return offers.subList(0, Math.min(offers.size(), shared() ? sharedBuyers : 1));
  }

  /** What the quoted buyers would pay together; empty without offers. */
  public Optional<Money> price() {
    if (offers.isEmpty()) {
      return Optional.empty();
    }
    Money sum = Money.ZERO;
    for (Offer offer : quoted()) {
      sum = sum.plus(offer.price());
    }
    return Optional.of(sum);
  }

  /** The seller's quote: its payout on the quoted offers; empty without offers. */
  public Optional<Money> sellerPrice(Payout payout) {
    if (offers.isEmpty()) {
      return Optional.empty();
    }
    if (!shared()) {
      return Optional.of(payout.sellerPrice(offers.get(0).price()));
    }
    List<Money> prices = new ArrayList<>();
    for (Offer offer : quoted()) {
      prices.add(offer.price());
    }
    return Optional.of(payout.sharedPayout(prices));
  }
}
