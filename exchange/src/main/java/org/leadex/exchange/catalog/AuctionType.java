package org.leadex.exchange.catalog;

/** How the winner of an auction tier is charged. */
public enum AuctionType {
  FIRST_PRICE,
  /** The winner pays min(own bid, max(next bid in its tier + 0.01, floor)). */
  SECOND_PRICE
}
