package org.leadex.exchange.reports;

import java.math.BigDecimal;
import java.math.RoundingMode;
import org.leadex.exchange.money.Money;

/**
 * The figures of one report row (or the totals), as exact counts and cents. Derived figures are
 * computed from these on the way out, never summed: a total's {@code revenue_per_lead} is its own
 * net revenue over its own sold count, not a sum of the rows' ratios.
 */
public final class RevenueFigures {
  long pings;
  long bids;
  long posts;
  long sold;
  long sales;
  long returned;
  long grossCents;
  long refundCents;
  long payoutCents;
  long clawbackCents;
  long contacted;
  long qualified;
  long converted;

  void add(RevenueFigures o) {
    pings += o.pings;
    bids += o.bids;
    posts += o.posts;
    sold += o.sold;
    sales += o.sales;
    returned += o.returned;
    grossCents += o.grossCents;
    refundCents += o.refundCents;
    payoutCents += o.payoutCents;
    clawbackCents += o.clawbackCents;
    contacted += o.contacted;
    qualified += o.qualified;
    converted += o.converted;
  }

  public long pings() {
    return pings;
  }

  public long bids() {
    return bids;
  }

  public long posts() {
    return posts;
  }

  /** Leads sold, returned ones included. */
  public long sold() {
    return sold;
  }

  /** Buyer purchases. */
  public long sales() {
    return sales;
  }

  /** Sales returned (refunded). */
  public long returned() {
    return returned;
  }

  public long contacted() {
    return contacted;
  }

  public long qualified() {
    return qualified;
  }

  public long converted() {
    return converted;
  }

  /** What buyers paid. */
  public Money grossRevenue() {
    return Money.ofCents(grossCents);
  }

  public Money refunds() {
    return Money.ofCents(refundCents);
  }

  public Money netRevenue() {
    return Money.ofCents(grossCents - refundCents);
  }

  /** What sellers are owed after returns were clawed back. */
  public Money sellerPayout() {
    return Money.ofCents(payoutCents - clawbackCents);
  }

  public Money margin() {
    return Money.ofCents(grossCents - refundCents - (payoutCents - clawbackCents));
  }

  /** Net revenue per sold lead, half-up to the cent; null when nothing sold. */
  public Money revenuePerLead() {
    if (sold == 0) {
      return null;
    }
    return Money.ofCents(BigDecimal.valueOf(grossCents - refundCents)
        .divide(BigDecimal.valueOf(sold), 0, RoundingMode.HALF_UP).longValueExact());
  }

  /** Sold over posts, half-up to 4 decimals; null without posts. */
  public BigDecimal fillRate() {
    return ratio(sold, posts);
  }

  /** Converted sales over sales, half-up to 4 decimals; null without sales. */
  public BigDecimal conversionRate() {
    return ratio(converted, sales);
  }

  private static BigDecimal ratio(long part, long whole) {
    return whole == 0 ? null : BigDecimal.valueOf(part).divide(BigDecimal.valueOf(whole), 4, RoundingMode.HALF_UP);
  }
}
