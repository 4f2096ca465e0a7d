package org.leadex.exchange.scenarios;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@link RevenueReportIT}'s own recomputation of the revenue report: what the test knows about each
 * ping it sent, and the figures of every group computed from that alone (cents as longs), never
 * from the exchange's tables.
 */
final class RevenueModel {
  private RevenueModel() {}

  /** What this test knows about one ping, from what it sent and what the buyers were told to do. */
  static final class Lead {
    String pingId;
    String leadId;
    String day;
    String seller;
    String source;
    String subId;         // null when the seller sent none
    String campaign;
    boolean test;
    boolean posted;
    String quoted;        // the buyer of the first offer, or null
    final List<Purchase> purchases = new ArrayList<>(); // one for an exclusive sale, up to max_buyers for a shared one

    boolean sold() {
      return !purchases.isEmpty();
    }
  }

  /** One buyer's purchase of a lead: what it paid, what the seller is owed on it, what came of it. */
  static final class Purchase {
    final String buyer;
    final long priceCents;
    long payoutCents;
    boolean returned;
    boolean converted;
    boolean contacted;

    Purchase(String buyer, long priceCents, long payoutCents) {
      this.buyer = buyer;
      this.priceCents = priceCents;
      this.payoutCents = payoutCents;
    }
  }

  /** Expected figures of one group, as exact longs (cents for money). */
  static final class Expected {
    long pings;
    long bids;
    long posts;
    long sold;
    long sales;
    long returned;
    long gross;
    long refunds;
    long payout;
    long clawback;
    long contacted;
    long converted;
  }

  /** A lead's key in one dimension: at ping time the quoted buyer, for a purchase its buyer. */
  private static String key(Lead lead, String dimension, Purchase purchase) {
    return switch (dimension) {
      case "seller" -> lead.seller;
      case "source" -> lead.source;
      case "sub_id" -> lead.subId;
      case "campaign" -> lead.campaign;
      case "day" -> lead.day;
      case "buyer" -> purchase != null ? purchase.buyer : lead.quoted;
      default -> throw new IllegalArgumentException(dimension);
    };
  }

  static Map<List<String>, Expected> expected(List<Lead> leads, List<String> groupBy) {
    Map<List<String>, Expected> groups = new LinkedHashMap<>();
    Function<Purchase, Function<Lead, List<String>>> keyOf = purchase -> lead -> {
      List<String> k = new ArrayList<>();
      groupBy.forEach(d -> k.add(key(lead, d, purchase)));
      return k;
    };
    for (Lead lead : leads) {
      if (lead.test) {
        continue;
      }
      Expected atPing = groups.computeIfAbsent(keyOf.apply(null).apply(lead), x -> new Expected());
      atPing.pings++;
      atPing.bids += lead.quoted != null ? 1 : 0;
      atPing.posts += lead.posted ? 1 : 0;
      java.util.Set<List<String>> soldIn = new java.util.HashSet<>(); // a shared lead is sold once per group
      for (Purchase p : lead.purchases) {
        List<String> k = keyOf.apply(p).apply(lead);
        Expected bought = groups.computeIfAbsent(k, x -> new Expected());
        bought.sold += soldIn.add(k) ? 1 : 0;
        bought.sales++;
        bought.gross += p.priceCents;
        bought.payout += p.payoutCents;
        if (p.returned) {
          bought.returned++;
          bought.refunds += p.priceCents;
          bought.clawback += p.payoutCents;
        }
        bought.converted += p.converted ? 1 : 0;
        bought.contacted += p.contacted ? 1 : 0;
      }
    }
    return groups;
  }

  static Expected plus(Expected a, Expected b) {
    Expected s = new Expected();
    s.pings = a.pings + b.pings;
    s.bids = a.bids + b.bids;
    s.posts = a.posts + b.posts;
    s.sold = a.sold + b.sold;
    s.sales = a.sales + b.sales;
    s.returned = a.returned + b.returned;
    s.gross = a.gross + b.gross;
    s.refunds = a.refunds + b.refunds;
    s.payout = a.payout + b.payout;
    s.clawback = a.clawback + b.clawback;
    s.contacted = a.contacted + b.contacted;
    s.converted = a.converted + b.converted;
    return s;
  }
}
