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
import org.leadex.exchange.catalog.ReturnPolicy;
import org.leadex.exchange.money.Money;

/**
 * Records a buyer's feedback on a lead it bought, in one transaction with the sale row locked: the
 * feedback row; the first time the sale reached that status, a stamp on the sale (reports count
 * conversions from it); on the first feedback, the lead's release from the buyer's open leads; on
 * a return, the checks of the campaign's {@link ReturnPolicy} and the return itself, refunded at
 * once under automatic approval (see {@link Refunds}) or left pending for an admin. A refused
 * return changes nothing. Thread safe.
 */
public final class FeedbackStore {
  /** What the feedback did: for a return, {@code returned} (with the amounts) or {@code pending}. */
  public record Outcome(UUID leadId, String status, Money refunded, Money clawedBack) {}

  /** A return the buyer asks for: why, and what it shows for it. */
  public record ReturnClaim(String reason, String evidence) {}

  private final Pool pool;

  public FeedbackStore(Pool pool) {
    this.pool = pool;
  }

  /**
   * @param claim    the return's reason and evidence; null unless {@code status} is {@code returned}
   * @param policies the return policy of each campaign, by campaign id
   */
  public Future<Outcome> record(UUID leadId, int buyerId, String status, String reason, ReturnClaim claim,
                                IntFunction<ReturnPolicy> policies) {
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    return pool.withTransaction(conn -> conn.preparedQuery("select s.id, s.price_cents, s.seller_payout_cents, s.test,"
            + " s.sold_at, s.closed_at, s.campaign_id, s.seller_id from sales s"
            + " where s.lead_id = $1 and s.buyer_id = $2 for update")
        .execute(Tuple.of(leadId, buyerId))
        .compose(rows -> {
          if (rows.size() == 0) {
            throw ApiError.notFound("no lead '" + leadId + "' bought by this buyer");
          }
          Row sale = rows.iterator().next();
          long saleId = sale.getLong(0);
          boolean test = sale.getBoolean(3);
          Future<Outcome> done = Future.succeededFuture(new Outcome(leadId, status, null, null));
          if (status.equals("returned")) {
            done = askReturn(conn, leadId, buyerId, sale, claim, policies.apply(sale.getInteger(6)), now);
          }
          return done.compose(outcome -> conn.preparedQuery("insert into feedback (sale_id, status, reason, at)"
                  + " values ($1, $2, $3, $4)").execute(Tuple.of(saleId, status, reason, now))
              .compose(x -> stamp(conn, saleId, status, now))
              .compose(x -> sale.getOffsetDateTime(5) != null ? Future.succeededFuture()
                  : close(conn, saleId, buyerId, test, now))
              .map(x -> outcome));
        }));
  }

  /** The policy's checks, in the contract's order of errors, then the return: refunded now, or pending. */
  private static Future<Outcome> askReturn(SqlConnection conn, UUID leadId, int buyerId, Row sale, ReturnClaim claim,
                                           ReturnPolicy policy, OffsetDateTime now) {
    long saleId = sale.getLong(0);
    boolean test = sale.getBoolean(3);
    int campaignId = sale.getInteger(6);
    return conn.preparedQuery("select status from returns where sale_id = $1").execute(Tuple.of(saleId))
        .compose(existing -> {
          if (existing.size() > 0) {
            throw ApiError.conflict("lead '" + leadId + "' was already returned (" + existing.iterator().next().getString(0) + ")");
          }
          OffsetDateTime closes = sale.getOffsetDateTime(4).plus(Duration.ofHours(24L * policy.days()));
          if (!now.isBefore(closes)) {
            throw ApiError.returnRefused("return_window_closed", policy.days() == 0
                ? "this campaign takes no returns" : "the " + policy.days() + "-day return window closed at "
                + closes.toInstant(), "status");
          }
          if (!policy.anyReason() && !policy.reasons().contains(claim.reason())) {
            throw ApiError.returnRefused("return_reason_invalid", "this campaign takes returns for "
                + String.join(", ", policy.reasons()) + "; not '" + clip(claim.reason()) + "'", "reason");
          }
          return policy.maxRatePercent().isEmpty() || test ? Future.succeededFuture()
              : underRateCap(conn, buyerId, campaignId, policy.maxRatePercent().get(), now);
        })
        .compose(v -> conn.preparedQuery("insert into returns (sale_id, lead_id, buyer_id, campaign_id, test, reason,"
                + " evidence, status, requested_at, decided_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
            .execute(Tuple.tuple().addValue(saleId).addValue(leadId).addValue(buyerId).addValue(campaignId)
                .addValue(test).addValue(claim.reason()).addValue(claim.evidence())
                .addValue(policy.manual() ? "pending" : "approved").addValue(now)
                .addValue(policy.manual() ? null : now)))
        .compose(v -> policy.manual()
            ? Future.succeededFuture(new Outcome(leadId, "pending", null, null))
            : Refunds.refund(conn, saleId, now).map(r -> new Outcome(leadId, "returned", r.refunded(), r.clawedBack())));
  }

  /**
   * Refuses a return that would take the buyer's returns this calendar month (UTC) in this campaign
   * over {@code maxPercent} of its purchases there, from its 20th purchase of the month on. Returns
   * of one buyer are counted one at a time (a transaction lock per buyer), so two returns sent
   * together cannot both slip under the cap.
   */
  private static Future<Void> underRateCap(SqlConnection conn, int buyerId, int campaignId, int maxPercent,
                                           OffsetDateTime now) {
    OffsetDateTime month = now.withDayOfMonth(1).toLocalDate().atStartOfDay().atOffset(ZoneOffset.UTC);
    OffsetDateTime next = month.plusMonths(1);
    return conn.preparedQuery("select pg_advisory_xact_lock(hashtext('returns'), $1)").execute(Tuple.of(buyerId))
        .compose(x -> conn.preparedQuery("select (select count(*) from sales where buyer_id = $1 and campaign_id = $2"
                + " and not test and sold_at >= $3 and sold_at < $4),"
                + " (select count(*) from returns where buyer_id = $1 and campaign_id = $2 and not test"
                + " and status <> 'rejected' and requested_at >= $3 and requested_at < $4)")
            .execute(Tuple.of(buyerId, campaignId, month, next)))
        .compose(rows -> {
          Row counts = rows.iterator().next();
          long purchases = counts.getLong(0);
          long returns = counts.getLong(1);
          if (purchases >= ReturnPolicy.RATE_CAP_FROM_PURCHASES && (returns + 1) * 100 > (long) maxPercent * purchases) {
            throw ApiError.returnRefused("return_limit", "this return would make " + (returns + 1) + " of "
                + purchases + " purchases this month, over the campaign's " + maxPercent + "% cap", "status");
          }
          return Future.<Void>succeededFuture();
        });
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

  private static String clip(String text) {
    return text.length() > 64 ? text.substring(0, 64) + "…" : text;
  }
}
