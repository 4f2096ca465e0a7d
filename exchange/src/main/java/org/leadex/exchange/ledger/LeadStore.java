package org.leadex.exchange.ledger;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.leadex.exchange.money.Money;

/**
 * Leads, their delivery attempts, sales and money events. A lead row is claimed once per ping
 * (its unique ping_id is the post's idempotency key), and a sale, its money events and the lead's
 * final answer are written in one transaction before the seller hears {@code sold}. Thread safe.
 */
public final class LeadStore {
  /** The state of a posted lead: {@code delivering} until its answer is final. */
  public record LeadState(UUID leadId, String status, String answerJson) {
    public boolean finished() {
      return !"delivering".equals(status);
    }
  }

  /**
   * A new lead, claimed when its ping is first posted. {@code quotedBuyerId} is the buyer of its
   * ping's first offer (null without offers): reports attribute the lead's ping-time figures to it.
   */
  public record NewLead(UUID leadId, UUID pingId, Instant pingReceivedAt, int campaignId, int sellerId, String source,
                        boolean test, String piiJson, Integer quotedBuyerId, String subId) {}

  /** One sale: a buyer took the lead at a price; the seller is owed its payout. */
  public record Sale(int buyerId, int sellerId, Money price, Money sellerPayout, String reference) {}

  private final Pool pool;

  public LeadStore(Pool pool) {
    this.pool = pool;
  }

  public Future<Optional<LeadState>> findByPing(UUID pingId) {
    return pool.preparedQuery("select id, status, answer::text from leads where ping_id = $1")
        .execute(Tuple.of(pingId))
        .map(rows -> {
          if (rows.size() == 0) {
            return Optional.empty();
          }
          Row r = rows.iterator().next();
          return Optional.of(new LeadState(r.getUUID(0), r.getString(1), r.getString(2)));
        });
  }

  /** Claims the ping's post; false when another post of the same ping claimed it first. */
  public Future<Boolean> claim(NewLead lead) {
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    return pool.preparedQuery("insert into leads (id, ping_id, ping_received_at, campaign_id, seller_id, source, test,"
            + " created_at, status, pii, updated_at, quoted_buyer_id, sub_id) values ($1, $2, $3, $4, $5, $6, $7, $8,"
            + " 'delivering', $9::text::jsonb, $8, $10, $11) on conflict (ping_id) do nothing")
        .execute(Tuple.tuple().addValue(lead.leadId()).addValue(lead.pingId())
            .addValue(OffsetDateTime.ofInstant(lead.pingReceivedAt(), ZoneOffset.UTC)).addValue(lead.campaignId())
            .addValue(lead.sellerId()).addValue(lead.source()).addValue(lead.test()).addValue(now)
            .addValue(lead.piiJson()).addValue(lead.quotedBuyerId()).addValue(lead.subId()))
        .map(rows -> rows.rowCount() == 1);
  }

  /** Records the sale, its money events, the attempts and the seller's answer, atomically. */
  public Future<Void> sold(UUID leadId, boolean test, Sale sale, List<PostAttempt> attempts, String answerJson,
                           Function<SqlConnection, Future<Void>> alsoInTransaction) {
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    // The sale carries its lead's report keys (ping time, campaign, seller, source): reports read sales alone.
    return pool.withTransaction(conn -> conn.preparedQuery("insert into sales (lead_id, buyer_id, price_cents,"
                + " seller_payout_cents, test, sold_at, reference, ping_received_at, campaign_id, seller_id, source, sub_id)"
                + " select $1, $2, $3, $4, $5, $6, $7, l.ping_received_at, l.campaign_id, l.seller_id, l.source, l.sub_id"
                + " from leads l where l.id = $1 returning id")
            .execute(Tuple.tuple().addValue(leadId).addValue(sale.buyerId()).addValue(Math.toIntExact(sale.price().cents()))
                .addValue(Math.toIntExact(sale.sellerPayout().cents())).addValue(test).addValue(now)
                .addValue(sale.reference()))
            .compose(rows -> {
              long saleId = rows.iterator().next().getLong(0);
              String events = "insert into money_events (at, kind, lead_id, sale_id, buyer_id, seller_id, amount_cents,"
                  + " test) values ($1, $2, $3, $4, $5, $6, $7, $8)";
              List<Tuple> batch = List.of(
                  Tuple.tuple().addValue(now).addValue("sale").addValue(leadId).addValue(saleId)
                      .addValue(sale.buyerId()).addValue(sale.sellerId()).addValue(sale.price().cents()).addValue(test),
                  Tuple.tuple().addValue(now).addValue("payout").addValue(leadId).addValue(saleId)
                      .addValue(sale.buyerId()).addValue(sale.sellerId()).addValue(sale.sellerPayout().cents())
                      .addValue(test));
              return conn.preparedQuery(events).executeBatch(batch);
            })
            .compose(r -> attempts(conn, leadId, attempts))
            .compose(r -> alsoInTransaction.apply(conn))
            .compose(r -> finish(conn, leadId, "sold", null, sale.sellerPayout(), answerJson)))
        .mapEmpty();
  }

  /** Records that no buyer took the lead, and why. */
  public Future<Void> unsold(UUID leadId, String reason, List<PostAttempt> attempts, String answerJson) {
    return pool.withTransaction(conn -> attempts(conn, leadId, attempts)
        .compose(r -> finish(conn, leadId, "unsold", reason, null, answerJson))).mapEmpty();
  }

  private static Future<Void> attempts(SqlConnection conn, UUID leadId, List<PostAttempt> attempts) {
    if (attempts.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Tuple> rows = new ArrayList<>();
    for (int i = 0; i < attempts.size(); i++) {
      PostAttempt a = attempts.get(i);
      rows.add(Tuple.tuple().addValue(leadId).addValue((short) (i + 1)).addValue(a.buyerId())
          .addValue(Math.toIntExact(a.price().cents())).addValue(a.accepted()).addValue((int) a.latencyMillis())
          .addValue(a.reason()).addValue(a.reference()).addValue(OffsetDateTime.ofInstant(a.at(), ZoneOffset.UTC)));
    }
    return conn.preparedQuery("insert into post_attempts (lead_id, attempt, buyer_id, price_cents, accepted,"
        + " latency_ms, reason, reference, at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
        .executeBatch(rows).mapEmpty();
  }

  private static Future<Void> finish(SqlConnection conn, UUID leadId, String status, String reason, Money sellerPrice,
                                     String answerJson) {
    return conn.preparedQuery("update leads set status = $2, reason = $3, seller_price_cents = $4,"
            + " answer = $5::text::jsonb, updated_at = now() where id = $1 and status = 'delivering'")
        .execute(Tuple.tuple().addValue(leadId).addValue(status).addValue(reason)
            .addValue(sellerPrice == null ? null : Math.toIntExact(sellerPrice.cents())).addValue(answerJson))
        .compose(rows -> rows.rowCount() == 1 ? Future.succeededFuture()
            : Future.failedFuture(new IllegalStateException("lead " + leadId + " was no longer being delivered")));
  }
}
