package org.leadex.exchange.routing;

import java.time.Instant;
import org.leadex.exchange.money.Money;

/**
 * What a buyer has used of its limits at one moment: leads this hour and today, money today (in
 * its own time zone) and leads it holds open; and when it last bought (round robin).
 */
public record BuyerCounters(int soldHour, int soldDay, Money spentDay, int open, Instant lastSold) {
  public static final BuyerCounters ZERO = new BuyerCounters(0, 0, Money.ZERO, 0, null);
}
