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
    String buyer;         // the buyer that bought, or null
    long priceCents;
    long payoutCents;
    boolean returned;
    boolean converted;
    boolean contacted;
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

  private static String key(Lead lead, String dimension, boolean purchase) {
    return switch (dimension) {
      case "seller" -> lead.seller;
      case "source" -> lead.source;
      case "sub_id" -> lead.subId;
      case "campaign" -> lead.campaign;
      case "day" -> lead.day;
      case "buyer" -> purchase ? lead.buyer : lead.quoted;
      default -> throw new IllegalArgumentException(dimension);
    };
  }

  static Map<List<String>, Expected> expected(List<Lead> leads, List<String> groupBy) {
    Map<List<String>, Expected> groups = new LinkedHashMap<>();
    Function<Boolean, Function<Lead, Expected>> group = purchase -> lead -> {
      List<String> k = new ArrayList<>();
      groupBy.forEach(d -> k.add(key(lead, d, purchase)));
      return groups.computeIfAbsent(k, x -> new Expected());
    };
    for (Lead lead : leads) {
      if (lead.test) {
        continue;
      }
      Expected atPing = group.apply(false).apply(lead);
      atPing.pings++;
      atPing.bids += lead.quoted != null ? 1 : 0;
      atPing.posts += lead.posted ? 1 : 0;
      if (lead.buyer != null) {
        Expected bought = group.apply(true).apply(lead);
        bought.sold++;
        bought.sales++;
        bought.gross += lead.priceCents;
        bought.payout += lead.payoutCents;
        if (lead.returned) {
          bought.returned++;
          bought.refunds += lead.priceCents;
          bought.clawback += lead.payoutCents;
        }
        bought.converted += lead.converted ? 1 : 0;
        bought.contacted += lead.contacted ? 1 : 0;
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
