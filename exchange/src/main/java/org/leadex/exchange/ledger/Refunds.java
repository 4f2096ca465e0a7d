package org.leadex.exchange.ledger;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.List;
import org.leadex.exchange.billing.Wallets;
import org.leadex.exchange.money.Money;

/**
 * The money side of an approved return, inside the caller's transaction: the sale is stamped
 * returned, the buyer is refunded its price and the seller's payout for that sale is clawed back,
 * as two money events. The caller has made sure the sale was not returned before.
 */
final class Refunds {
  record Refunded(Money refunded, Money clawedBack) {}

  private Refunds() {}

  static Future<Refunded> refund(SqlConnection conn, long saleId, OffsetDateTime now) {
    return conn.preparedQuery("update sales set returned_at = $2 where id = $1 and returned_at is null"
            + " returning lead_id, buyer_id, seller_id, price_cents, seller_payout_cents, test")
        .execute(Tuple.of(saleId, now))
        .compose(rows -> {
          if (rows.size() != 1) {
            return Future.failedFuture(new IllegalStateException("sale " + saleId + " was already refunded"));
          }
          Row sale = rows.iterator().next();
          Money price = Money.ofCents(sale.getInteger(3));
          Money payout = Money.ofCents(sale.getInteger(4));
          String events = "insert into money_events (at, kind, lead_id, sale_id, buyer_id, seller_id, amount_cents, test)"
              + " values ($1, $2, $3, $4, $5, $6, $7, $8)";
          return conn.preparedQuery(events).executeBatch(List.of(
                  event(now, "refund", sale, saleId, price), event(now, "clawback", sale, saleId, payout)))
              // a sale paid from a prepaid wallet is refunded into it (test sales never touch wallets)
              .compose(x -> sale.getBoolean(5) ? Future.<Void>succeededFuture()
                  : Wallets.refund(conn, sale.getUUID(0), sale.getInteger(1), price))
              .map(x -> new Refunded(price, payout));
        });
  }

  private static Tuple event(OffsetDateTime now, String kind, Row sale, long saleId, Money amount) {
    return Tuple.tuple().addValue(now).addValue(kind).addValue(sale.getUUID(0)).addValue(saleId)
        .addValue(sale.getInteger(1)).addValue(sale.getInteger(2)).addValue(amount.cents()).addValue(sale.getBoolean(5));
  }
}
