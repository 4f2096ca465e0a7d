package org.leadex.exchange.ledger;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.function.IntFunction;
import org.leadex.exchange.api.ApiError;
import org.leadex.exchange.money.Money;

/**
 * Records a buyer's feedback on a lead it bought, in one transaction with the sale row locked: the
 * feedback row; on the first feedback, the lead's release from the buyer's open leads; on a return
 * inside the window, the refund to the buyer and the clawback of the seller's payout as money
 * events. A second return, or a return after the window, changes nothing. Thread safe.
 */
public final class FeedbackStore {
  /** What a return gave back, for the answer; empty for other feedback. */
  public record Outcome(UUID leadId, String status, Money refunded, Money clawedBack) {}

  private final Pool pool;

  public FeedbackStore(Pool pool) {
    this.pool = pool;
  }

  /**
   * @param returnDays the return window of each campaign, by campaign id (0: no returns)
   */
  public Future<Outcome> record(UUID leadId, int buyerId, String status, String reason, IntFunction<Integer> returnDays) {
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    return pool.withTransaction(conn -> conn.preparedQuery("select s.id, s.price_cents, s.seller_payout_cents, s.test,"
            + " s.sold_at, s.closed_at, s.returned_at, l.campaign_id, l.seller_id from sales s join leads l on l.id = s.lead_id"
            + " where s.lead_id = $1 and s.buyer_id = $2 for update of s")
        .execute(Tuple.of(leadId, buyerId))
        .compose(rows -> {
          if (rows.size() == 0) {
            throw ApiError.notFound("no lead '" + leadId + "' bought by this buyer");
          }
          Row sale = rows.iterator().next();
          long saleId = sale.getLong(0);
          boolean test = sale.getBoolean(3);
          Future<Outcome> money = Future.succeededFuture(new Outcome(leadId, status, null, null));
          if (status.equals("returned")) {
            money = refund(conn, leadId, buyerId, sale, now, returnDays.apply(sale.getInteger(7)));
          }
          return money.compose(outcome -> conn.preparedQuery("insert into feedback (sale_id, status, reason, at)"
                  + " values ($1, $2, $3, $4)").execute(Tuple.of(saleId, status, reason, now))
              .compose(x -> stamp(conn, saleId, status, now))
              .compose(x -> sale.getOffsetDateTime(5) != null ? Future.succeededFuture()
                  : close(conn, saleId, buyerId, test, now))
              .map(x -> outcome));
        }));
  }

  private static Future<Outcome> refund(SqlConnection conn, UUID leadId, int buyerId, Row sale, OffsetDateTime now,
                                        int returnDays) {
    if (sale.getOffsetDateTime(6) != null) {
      throw ApiError.conflict("lead '" + leadId + "' was already returned");
    }
    OffsetDateTime closes = sale.getOffsetDateTime(4).plus(Duration.ofDays(returnDays));
    if (!now.isBefore(closes)) {
      throw ApiError.returnRefused("return_window_closed", returnDays == 0
          ? "this campaign takes no returns" : "the " + returnDays + "-day return window closed at " + closes.toInstant(),
          "status");
    }
    long saleId = sale.getLong(0);
    Money price = Money.ofCents(sale.getInteger(1));
    Money payout = Money.ofCents(sale.getInteger(2));
    boolean test = sale.getBoolean(3);
    String events = "insert into money_events (at, kind, lead_id, sale_id, buyer_id, seller_id, amount_cents, test)"
        + " values ($1, $2, $3, $4, $5, $6, $7, $8)";
    return conn.preparedQuery("update sales set returned_at = $2 where id = $1").execute(Tuple.of(saleId, now))
        .compose(x -> conn.preparedQuery(events).executeBatch(java.util.List.of(
            Tuple.tuple().addValue(now).addValue("refund").addValue(leadId).addValue(saleId).addValue(buyerId)
                .addValue(sale.getInteger(8)).addValue(price.cents()).addValue(test),
            Tuple.tuple().addValue(now).addValue("clawback").addValue(leadId).addValue(saleId).addValue(buyerId)
                .addValue(sale.getInteger(8)).addValue(payout.cents()).addValue(test))))
        .map(x -> new Outcome(leadId, "returned", price, payout));
  }

  /** The first time a sale reached a status, on the sale itself: reports count conversions without reading feedback. */
  private static Future<Void> stamp(SqlConnection conn, long saleId, String status, OffsetDateTime now) {
    String column = switch (status) {
      case "contacted" -> "contacted_at";
      case "qualified" -> "qualified_at";
      case "converted" -> "converted_at";
      default -> null; // a return stamps returned_at with its refund
    };
    if (column == null) {
      return Future.succeededFuture();
    }
    return conn.preparedQuery("update sales set " + column + " = coalesce(" + column + ", $2) where id = $1")
        .execute(Tuple.of(saleId, now)).mapEmpty();
  }

  private static Future<Void> close(SqlConnection conn, long saleId, int buyerId, boolean test, OffsetDateTime now) {
    return conn.preparedQuery("update sales set closed_at = $2 where id = $1").execute(Tuple.of(saleId, now))
        .compose(x -> test ? Future.succeededFuture()
            : conn.preparedQuery("update buyer_state set open_leads = greatest(open_leads - 1, 0) where buyer_id = $1")
                .execute(Tuple.of(buyerId)).mapEmpty());
  }

}
