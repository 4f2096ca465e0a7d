package org.leadex.exchange.reports;

import java.util.Locale;
import java.util.Optional;

/**
 * A dimension a revenue report can be grouped by. Each names, for every table a report reads, the
 * SQL expression that yields the group's value there. A lead's ping-time figures (pings, bids,
 * posts) belong to the buyer quoted at ping time; its purchase figures (sold, sales, returns,
 * money) to the buyer that bought: see docs/finance.md.
 */
public enum GroupKey {
  SELLER("seller_id", "l.seller_id", "s.seller_id"),
  SOURCE("source", "l.source", "s.source"),
  SUB_ID("nullif(sub_id, '')", "l.sub_id", "s.sub_id"),
  CAMPAIGN("campaign_id", "l.campaign_id", "s.campaign_id"),
  BUYER("nullif(buyer_id, 0)", "l.quoted_buyer_id", "s.buyer_id"),
  DAY("day", "(l.ping_received_at at time zone 'UTC')::date", "(s.ping_received_at at time zone 'UTC')::date");

  private final String rollupColumn;
  private final String leadColumn;
  private final String saleColumn;

  GroupKey(String rollupColumn, String leadColumn, String saleColumn) {
    this.rollupColumn = rollupColumn;
    this.leadColumn = leadColumn;
    this.saleColumn = saleColumn;
  }

  /** The name in {@code group_by}, in rows and in CSV headers. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<GroupKey> fromWire(String text) {
    for (GroupKey key : values()) {
      if (key.wire().equals(text)) {
        return Optional.of(key);
      }
    }
    return Optional.empty();
  }

  /** In the daily ping rollup ({@code ping_daily}). */
  String rollupColumn() {
    return rollupColumn;
  }

  /** Over leads ({@code l}): posts. */
  String leadColumn() {
    return leadColumn;
  }

  /** Over sales ({@code s}), which carry their lead's keys: sold, sales, returns, money, feedback. */
  String saleColumn() {
    return saleColumn;
  }
}
