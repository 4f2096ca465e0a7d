package org.leadex.exchange.auction;

import java.util.List;
import java.util.Optional;
import org.leadex.exchange.money.Money;

/**
 * The outcome of a ping: every buyer's result (as the trace shows it) and the offers in the order
 * the post will try them. The quote is the first offer. Immutable.
 */
public record Decision(List<BidResult> results, List<Offer> offers) {

  public Optional<Offer> winner() {
    return offers.isEmpty() ? Optional.empty() : Optional.of(offers.get(0));
  }

  public Optional<Money> price() {
    return winner().map(Offer::price);
  }
}
