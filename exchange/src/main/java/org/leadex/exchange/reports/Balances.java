package org.leadex.exchange.reports;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.TreeMap;
import org.leadex.exchange.json.Json;
import org.leadex.exchange.money.Money;

/**
 * Every party's balance from the whole ledger up to an instant: what the exchange owes each seller
 * (payouts less clawbacks), what each buyer owes (charges less refunds, as a negative balance) and
 * the exchange's own (charges less refunds less payouts plus clawbacks). Each money event moves
 * cents between two parties, so the balances sum to zero: a check finance can run at any time.
 */
public final class Balances {
  public record Result(OffsetDateTime asOf, Map<String, Long> sellers, Map<String, Long> buyers, long exchange) {
    public long sum() {
      return sellers.values().stream().mapToLong(Long::longValue).sum()
          + buyers.values().stream().mapToLong(Long::longValue).sum() + exchange;
    }
  }

  private final Pool pool;

  public Balances(Pool pool) {
    this.pool = pool;
  }

  public Future<Result> run(OffsetDateTime asOf, ReportLabels labels) {
    return pool.preparedQuery("select kind, seller_id, buyer_id, sum(amount_cents) from money_events"
            + " where not test and at < $1 and kind in ('sale', 'refund', 'payout', 'clawback') group by 1, 2, 3")
        .execute(Tuple.of(asOf))
        .map(rows -> {
          Map<String, Long> sellers = new TreeMap<>();
          Map<String, Long> buyers = new TreeMap<>();
          long exchange = 0;
          for (Row r : rows) {
            long cents = r.getLong(3);
            String seller = labels.sellerCode(r.getInteger(1));
            String buyer = labels.buyerCode(r.getInteger(2));
            switch (r.getString(0)) {
              case "sale" -> {
                buyers.merge(buyer, -cents, Long::sum);
                exchange += cents;
              }
              case "refund" -> {
                buyers.merge(buyer, cents, Long::sum);
                exchange -= cents;
              }
              case "payout" -> {
                sellers.merge(seller, cents, Long::sum);
                exchange -= cents;
              }
              case "clawback" -> {
                sellers.merge(seller, -cents, Long::sum);
                exchange += cents;
              }
              default -> throw new IllegalStateException("unexpected money event " + r.getString(0));
            }
          }
          return new Result(asOf, sellers, buyers, exchange);
        });
  }

  public static ObjectNode json(Result result) {
    ObjectNode out = Json.object();
    out.put("as_of", result.asOf().toInstant().toString());
    ArrayNode sellers = out.putArray("sellers");
    result.sellers().forEach((code, cents) -> sellers.addObject().put("seller", code)
        .put("balance", Money.ofCents(cents).toDecimal()));
    ArrayNode buyers = out.putArray("buyers");
    result.buyers().forEach((code, cents) -> buyers.addObject().put("buyer", code)
        .put("balance", Money.ofCents(cents).toDecimal()));
    out.put("exchange", Money.ofCents(result.exchange()).toDecimal());
    out.put("sum", Money.ofCents(result.sum()).toDecimal());
    return out;
  }
}
