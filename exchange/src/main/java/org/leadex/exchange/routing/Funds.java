package org.leadex.exchange.routing;

import org.leadex.exchange.catalog.Buyer;
import org.leadex.exchange.money.Money;

/**
 * What a prepaid buyer can still spend as this instance last saw it (balance − reserved + credit
 * limit), for the ping's eligibility check. The authoritative check is the reservation at the post.
 */
@FunctionalInterface
public interface Funds {
  /** No limit for anyone (test traffic, postpaid-only exchanges, unit tests). */
  Funds UNLIMITED = buyer -> null;

  /** The trace's reason when a wallet cannot cover a price: what the buyer can spend, and the price. */
  static String shortOf(Money spendable, Money price) {
    return "balance: " + spendable + " < " + price;
  }

  /** Null when the buyer has no wallet limit (postpaid). */
  Money spendable(Buyer buyer);
}
