package org.leadex.exchange.replay;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.leadex.exchange.json.Json;
import org.leadex.exchange.money.Money;

/**
 * One side of a replay's comparison (actual or replayed): pings, posts, leads sold, sales, what
 * buyers paid, what sellers are owed and the margin, at sale time (before returns), and per buyer.
 * Exact: cents as longs. Not thread safe.
 */
final class ReplayFigures {
  private long pings;
  private long posted;
  private long sold;
  private long sales;
  private long gross;
  private long payout;
  /** buyer code → {sales, gross cents}. */
  private final Map<String, long[]> perBuyer = new TreeMap<>();

  void add(RecordedPing ping, List<PingReplayer.Sold> outcome, Map<Integer, String> buyerCodes) {
    pings++;
    posted += ping.post() == null ? 0 : 1;
    sold += outcome.isEmpty() ? 0 : 1;
    for (PingReplayer.Sold sale : outcome) {
      sales++;
      gross += sale.priceCents();
      payout += sale.payoutCents();
      long[] buyer = perBuyer.computeIfAbsent(buyerCodes.getOrDefault(sale.buyerId(), "#" + sale.buyerId()),
          k -> new long[2]);
      buyer[0]++;
      buyer[1] += sale.priceCents();
    }
  }

  ObjectNode json() {
    ObjectNode out = Json.object();
    out.put("pings", pings);
    out.put("posted", posted);
    out.put("sold", sold);
    out.put("sales", sales);
    out.put("gross", Money.ofCents(gross).toDecimal());
    out.put("payout", Money.ofCents(payout).toDecimal());
    out.put("margin", Money.ofCents(gross - payout).toDecimal());
    ObjectNode buyers = out.putObject("buyers");
    perBuyer.forEach((code, f) -> buyers.putObject(code).put("sales", f[0]).put("gross", Money.ofCents(f[1]).toDecimal()));
    return out;
  }
}
