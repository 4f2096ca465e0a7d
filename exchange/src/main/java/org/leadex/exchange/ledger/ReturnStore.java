package org.leadex.exchange.ledger;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.leadex.exchange.api.ApiError;
import org.leadex.exchange.money.Money;

/**
 * Returns waiting for, or given, an admin's decision. Approving refunds (see {@link Refunds});
 * rejecting refunds nothing; a return is decided once. Thread safe.
 */
public final class ReturnStore {
  /** One return with what an admin weighs it by: the sale, and the buyer's own answer to the post. */
  public record Listed(UUID leadId, UUID pingId, int buyerId, int campaignId, String reason, String evidence,
                       String status, OffsetDateTime requestedAt, OffsetDateTime decidedAt, String note, Money price,
                       OffsetDateTime soldAt, String postReference, Integer postLatencyMillis, boolean test,
                       String consentJson) {}

  /** What a decision did, per return of the lead (a shared lead may have several). */
  public record Decided(UUID leadId, String status, Money refunded) {}

  private final Pool pool;

  public ReturnStore(Pool pool) {
    this.pool = pool;
  }

  /** Approves or rejects the lead's pending returns; 404 without any return, 409 once decided. */
  public Future<List<Decided>> decide(UUID leadId, boolean approve, String note) {
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    return pool.withTransaction(conn -> conn.preparedQuery("select id, sale_id, status from returns where lead_id = $1"
            + " order by id for update").execute(Tuple.of(leadId))
        .compose(rows -> {
          if (rows.size() == 0) {
            throw ApiError.notFound("no return of lead '" + leadId + "'");
          }
          List<Row> pending = new ArrayList<>();
          rows.forEach(r -> {
            if (r.getString(2).equals("pending")) {
              pending.add(r);
            }
          });
          if (pending.isEmpty()) {
            throw ApiError.conflict("the return of lead '" + leadId + "' was already decided");
          }
          Future<List<Decided>> done = Future.succeededFuture(new ArrayList<>());
          for (Row r : pending) {
            long returnId = r.getLong(0);
            long saleId = r.getLong(1);
            done = done.compose(list -> conn.preparedQuery("update returns set status = $2, decided_at = $3, note = $4"
                    + " where id = $1").execute(Tuple.of(returnId, approve ? "approved" : "rejected", now, note))
                .compose(x -> approve ? Refunds.refund(conn, saleId, now).map(Refunds.Refunded::refunded)
                    : Future.succeededFuture(Money.ZERO))
                .map(refunded -> {
                  list.add(new Decided(leadId, approve ? "approved" : "rejected", refunded));
                  return list;
                }));
          }
          return done;
        }));
  }

  /** Returns in a status, oldest first, at most {@code limit}. */
  public Future<List<Listed>> list(String status, int limit) {
    return pool.preparedQuery("select r.lead_id, l.ping_id, r.buyer_id, r.campaign_id, r.reason, r.evidence, r.status,"
            + " r.requested_at, r.decided_at, r.note, s.price_cents, s.sold_at, a.reference, a.latency_ms, r.test,"
            + " l.consent::text"
            + " from returns r join sales s on s.id = r.sale_id join leads l on l.id = r.lead_id"
            + " left join post_attempts a on a.lead_id = r.lead_id and a.buyer_id = r.buyer_id and a.accepted"
            + " where r.status = $1 order by r.requested_at limit $2")
        .execute(Tuple.of(status, limit))
        .map(rows -> {
          List<Listed> list = new ArrayList<>();
          for (Row r : rows) {
            list.add(new Listed(r.getUUID(0), r.getUUID(1), r.getInteger(2), r.getInteger(3), r.getString(4),
                r.getString(5), r.getString(6), r.getOffsetDateTime(7), r.getOffsetDateTime(8), r.getString(9),
                Money.ofCents(r.getInteger(10)), r.getOffsetDateTime(11), r.getString(12), r.getInteger(13),
                r.getBoolean(14), r.getString(15)));
          }
          return list;
        });
  }
}
