package org.leadex.exchange.ledger;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PreparedQuery;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
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
import org.leadex.exchange.postgres.DatabaseFaults;
import org.leadex.exchange.postgres.Transactions;

/**
 * Leads, their delivery attempts, sales and money events. A lead row is claimed once per ping
 * (its unique ping_id is the post's idempotency key), and a sale, its money events and the lead's
 * final answer are written in one transaction before the seller hears {@code sold}.
 *
 * <p>A lead being delivered is leased to one instance ({@code lease_owner}, {@code lease_until}):
 * the owner renews the lease before each offer it sends, and the renewal names the owner, so an
 * instance that lost its lease (taken over after it stopped renewing) can send nothing more. Leases
 * of dead instances expire and are taken over by {@link #takeExpired}. Thread safe.
 */
public final class LeadStore {
  /**
   * The state of a posted lead: {@code delivering} until its answer is final; {@code leaseExpired}
   * when it is delivering and its owner stopped renewing (dead, or cut off from the database).
   */
  public record LeadState(UUID leadId, String status, String answerJson, boolean leaseExpired) {
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

  /**
   * A lead whose lease expired, now taken over by this instance.
   *
   * @param offering index of the last offer that may have reached a buyer; null: none was sent; -1: unknown
   * @param soldPayoutCents the seller's payout when a sale is already recorded, else null
   * @param previousOwner the instance that held the lease
   * @param buyers how many sales are recorded (several for a shared lead)
   */
  public record Stuck(UUID leadId, UUID pingId, int campaignId, int sellerId, boolean test, Integer offering,
                      String piiJson, Long soldPayoutCents, String previousOwner, int buyers) {}

  /** The lead is no longer this instance's to deliver: its lease was taken over, or it is finished. */
  public static final class LeaseLost extends RuntimeException {
    public LeaseLost(UUID leadId) {
      super("lead " + leadId + " is no longer being delivered by this instance", null, false, false);
    }
  }

  private static final String TAKE_OVER = "with stuck as (select id, lease_owner as previous from leads"
      + " where status = 'delivering' and lease_until < now() and (%s) order by lease_until limit $3"
      + " for update skip locked)"
      + " update leads l set lease_owner = $1, lease_until = now() + $2 * interval '1 millisecond'"
      + " from stuck where l.id = stuck.id"
      + " returning l.id, l.ping_id, l.campaign_id, l.seller_id, l.test, l.offering, l.pii::text,"
      + " (select sum(seller_payout_cents) from sales s where s.lead_id = l.id), stuck.previous,"
      + " (select count(*) from sales s where s.lead_id = l.id)";

  private final Pool pool;

  public LeadStore(Pool pool) {
    this.pool = pool;
  }

  public Future<Optional<LeadState>> findByPing(UUID pingId) {
    // the lease is compared with the database's clock, the one that wrote it
    return pool.preparedQuery("select id, status, answer::text, status = 'delivering' and lease_until < now()"
            + " from leads where ping_id = $1")
        .execute(Tuple.of(pingId))
        .map(rows -> {
          if (rows.size() == 0) {
            return Optional.empty();
          }
          Row r = rows.iterator().next();
          return Optional.of(new LeadState(r.getUUID(0), r.getString(1), r.getString(2),
              Boolean.TRUE.equals(r.getBoolean(3))));
        });
  }

  /**
   * Claims the ping's post for {@code owner}, leased for {@code leaseMillis}; false when another post
   * of the same ping claimed it first. With {@code firstOfferSent} the claim is also what
   * {@link #renewLease} does for offer 0: that offer is marked as possibly in its buyer's hands, the
   * lease covering it.
   */
  public Future<Boolean> claim(NewLead lead, String owner, long leaseMillis, boolean firstOfferSent) {
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    return pool.preparedQuery("insert into leads (id, ping_id, ping_received_at, campaign_id, seller_id, source, test,"
            + " created_at, status, pii, updated_at, quoted_buyer_id, sub_id, lease_owner, lease_until, offering)"
            + " values ($1, $2, $3, $4, $5, $6, $7, $8, 'delivering', $9::text::jsonb, $8, $10, $11, $12,"
            + " now() + $13 * interval '1 millisecond', $14) on conflict (ping_id) do nothing")
        .execute(Tuple.tuple().addValue(lead.leadId()).addValue(lead.pingId())
            .addValue(OffsetDateTime.ofInstant(lead.pingReceivedAt(), ZoneOffset.UTC)).addValue(lead.campaignId())
            .addValue(lead.sellerId()).addValue(lead.source()).addValue(lead.test()).addValue(now)
            .addValue(lead.piiJson()).addValue(lead.quotedBuyerId()).addValue(lead.subId()).addValue(owner)
            .addValue(leaseMillis).addValue(firstOfferSent ? Short.valueOf((short) 0) : null))
        .map(rows -> rows.rowCount() == 1);
  }

  /**
   * Before offer {@code index} is sent: renews the owner's lease for {@code leaseMillis} and marks the
   * offer as possibly in the buyer's hands. Fails with {@link LeaseLost} when the lead is no longer the
   * owner's: then the offer must not be sent.
   */
  public Future<Void> renewLease(UUID leadId, String owner, int index, long leaseMillis) {
    return renew(pool.preparedQuery(RENEW), leadId, owner, index, leaseMillis);
  }

  /** {@link #renewLease} inside a transaction (the offer's cap reservation). */
  public Future<Void> renewLease(SqlConnection conn, UUID leadId, String owner, int index, long leaseMillis) {
    return renew(conn.preparedQuery(RENEW), leadId, owner, index, leaseMillis);
  }

  /** In the caller's transaction: renews the lease without sending an offer; {@link LeaseLost} if it is not held. */
  public Future<Void> holdLease(SqlConnection conn, UUID leadId, String owner, long leaseMillis) {
    return conn.preparedQuery("update leads set lease_until = now() + $3 * interval '1 millisecond'"
            + " where id = $1 and lease_owner = $2 and status = 'delivering'")
        .execute(Tuple.of(leadId, owner, leaseMillis))
        .compose(rows -> rows.rowCount() == 1 ? Future.succeededFuture() : Future.failedFuture(new LeaseLost(leadId)));
  }

  private static final String RENEW = "update leads set offering = $3, lease_until = now() + $4 * interval '1 millisecond'"
      + " where id = $1 and lease_owner = $2 and status = 'delivering'";

  private static Future<Void> renew(PreparedQuery<RowSet<Row>> query, UUID leadId,
                                    String owner, int index, long leaseMillis) {
    return query.execute(Tuple.of(leadId, owner, (short) index, leaseMillis))
        .compose(rows -> rows.rowCount() == 1 ? Future.succeededFuture() : Future.failedFuture(new LeaseLost(leadId)));
  }

  /**
   * Takes over up to {@code limit} leads whose lease expired (their owner died or lost the database),
   * leasing them to {@code owner} for {@code leaseMillis}. Rows another instance is taking over at
   * the same moment are skipped, so each stuck lead is resolved by one instance.
   */
  public Future<List<Stuck>> takeExpired(String owner, long leaseMillis, int limit) {
    return pool.preparedQuery(String.format(TAKE_OVER, "true"))
        .execute(Tuple.of(owner, leaseMillis, limit))
        .map(LeadStore::stuck);
  }

  /** {@link #takeExpired} for one lead (a repeat post found it stuck). */
  public Future<List<Stuck>> takeExpired(UUID leadId, String owner, long leaseMillis) {
    return pool.preparedQuery(String.format(TAKE_OVER, "id = $4"))
        .execute(Tuple.of(owner, leaseMillis, 1, leadId))
        .map(LeadStore::stuck);
  }

  private static List<Stuck> stuck(RowSet<Row> rows) {
    List<Stuck> out = new ArrayList<>();
    for (Row r : rows) {
      Short offering = r.getShort(5);
      out.add(new Stuck(r.getUUID(0), r.getUUID(1), r.getInteger(2), r.getInteger(3), r.getBoolean(4),
          offering == null ? null : offering.intValue(), r.getString(6), r.getLong(7), r.getString(8),
          r.getLong(9).intValue()));
    }
    return out;
  }

  /** Keeps a lead's consent verdict ({@code {"valid", "reason", "certificate", "checked_at", "created_at"}}). */
  public Future<Void> recordConsent(UUID leadId, String verdictJson) {
    return pool.preparedQuery("update leads set consent = $2::text::jsonb where id = $1")
        .execute(Tuple.of(leadId, verdictJson)).mapEmpty();
  }

  /**
   * Records the sale, its money events, the attempts and the seller's answer, atomically. Retried
   * freely: a lead that is no longer delivering fails with {@link LeaseLost} (it was closed by an
   * instance that took it over), and one already sold to this buyer succeeds at once (a retry after
   * a commit whose acknowledgement was lost).
   *
   * <p>First optimistically, in one round trip with its BEGIN: the lead's answer is written first,
   * only while it is delivering, which locks its row, and the other writes follow in the same
   * pipeline. Should the lead not be delivering, or the sale be there already, all of it is rolled
   * back and the write is made the careful way: the lead's row locked and read first.
   */
  public Future<Void> sold(UUID leadId, boolean test, Sale sale, List<PostAttempt> attempts, String answerJson,
                           Function<SqlConnection, Future<Void>> alsoInTransaction) {
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    return Transactions.run(pool,
            conn -> writeSale(conn, leadId, test, sale, attempts, answerJson, alsoInTransaction, now))
        .recover(e -> e instanceof LeaseLost || DatabaseFaults.duplicate(e)
            ? soldCarefully(leadId, test, sale, attempts, answerJson, alsoInTransaction, now)
            : Future.failedFuture(e));
  }

  private Future<Void> soldCarefully(UUID leadId, boolean test, Sale sale, List<PostAttempt> attempts,
                                     String answerJson, Function<SqlConnection, Future<Void>> alsoInTransaction,
                                     OffsetDateTime now) {
    return Transactions.run(pool, conn -> conn.preparedQuery("select l.status, exists (select 1 from sales s"
                + " where s.lead_id = l.id and s.buyer_id = $2) from leads l where l.id = $1 for update")
            .execute(Tuple.of(leadId, sale.buyerId()))
            .compose(state -> {
              Row row = state.iterator().next();
              if ("sold".equals(row.getString(0)) && row.getBoolean(1)) {
                return Future.succeededFuture(false);
              }
              return "delivering".equals(row.getString(0)) ? Future.succeededFuture(true)
                  : Future.failedFuture(new LeaseLost(leadId));
            })
            .compose(fresh -> fresh ? writeSale(conn, leadId, test, sale, attempts, answerJson, alsoInTransaction, now)
                : Future.succeededFuture()))
        .mapEmpty();
  }

  private static Future<Void> writeSale(SqlConnection conn, UUID leadId, boolean test, Sale sale,
                                        List<PostAttempt> attempts, String answerJson,
                                        Function<SqlConnection, Future<Void>> alsoInTransaction, OffsetDateTime now) {
    // Pipelined: every statement goes out at once (the connection keeps their order) rather than
    // each after the last one's answer. The lead's answer goes first: it locks the lead's row and
    // fails unless the lead is delivering. alsoInTransaction ends with the rows every sale of its
    // buyer updates (usage counters, wallet), so those stay locked for one round trip and the
    // commit, not for the whole transaction: that lock is where a buyer's sales queue.
    Future<Void> closed = finish(conn, leadId, "sold", null, sale.sellerPayout(), answerJson, null);
    Future<Void> recorded = insertSale(conn, leadId, test, sale, now);
    Future<Void> tried = attempts(conn, leadId, attempts);
    Future<Void> also = alsoInTransaction.apply(conn);
    return Future.join(closed, recorded, tried, also).mapEmpty();
  }

  /**
   * Records one buyer's purchase of a shared lead, its money events and {@code alsoInTransaction},
   * leaving the lead delivering (other buyers may still be deciding); completes with the seller's
   * payout recorded on this sale. A fixed seller payout is paid once per lead: {@code firstPayout}
   * on the lead's first sale, {@code laterPayout} on the others. Retried freely: a sale already
   * recorded for this buyer is found, not written twice; a lead no longer delivering fails with
   * {@link LeaseLost}. Sales of one lead are serialised by the lead row's lock.
   */
  public Future<Money> soldShare(UUID leadId, boolean test, int buyerId, int sellerId, Money price,
                                 Money firstPayout, Money laterPayout, String reference,
                                 Function<SqlConnection, Future<Void>> alsoInTransaction) {
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    // The lock first, the reads after it: under read committed a statement that waited for the lock
    // still reads the sales as they were when it began, and would miss a sale committed meanwhile.
    return Transactions.run(pool, conn -> conn.preparedQuery("select 1 from leads where id = $1 for update")
            .execute(Tuple.of(leadId))
            .compose(locked -> conn.preparedQuery("select l.status,"
                + " (select s.seller_payout_cents from sales s where s.lead_id = l.id and s.buyer_id = $2),"
                + " (select count(*) from sales s where s.lead_id = l.id) from leads l where l.id = $1")
                .execute(Tuple.of(leadId, buyerId)))
            .compose(state -> {
              Row row = state.iterator().next();
              if (row.getValue(1) != null) {
                return Future.succeededFuture(Money.ofCents(row.getInteger(1)));
              }
              if (!"delivering".equals(row.getString(0))) {
                return Future.failedFuture(new LeaseLost(leadId));
              }
              Money payout = row.getLong(2) == 0 ? firstPayout : laterPayout;
              Sale sale = new Sale(buyerId, sellerId, price, payout, reference);
              // pipelined, as for an exclusive sale (writeSale)
              Future<Void> recorded = insertSale(conn, leadId, test, sale, now);
              return Future.join(recorded, alsoInTransaction.apply(conn)).map(payout);
            }));
  }

  /**
   * Closes a shared lead once its offers are settled and at least one buyer bought: the seller's
   * answer (its payout summed over the sales) and the attempts, if {@code owner} still holds it; a
   * fixed seller payout ({@code fixedPayout}, else null) is set on {@code fixedBuyerId}'s sale. A
   * retry after a commit whose acknowledgement was lost finds the lead closed by the same owner and
   * succeeds.
   */
  public Future<Void> soldShared(UUID leadId, String owner, Money sellerPayout, List<PostAttempt> attempts,
                                 String answerJson, Integer fixedBuyerId, Money fixedPayout) {
    return pool.withTransaction(conn -> conn.preparedQuery("select status, lease_owner from leads where id = $1"
            + " for update").execute(Tuple.of(leadId))
        .compose(rows -> {
          Row lead = rows.iterator().next();
          if ("sold".equals(lead.getString(0)) && owner.equals(lead.getString(1))) {
            return Future.succeededFuture();
          }
          return finish(conn, leadId, "sold", null, sellerPayout, answerJson, owner)
              .compose(r -> attempts(conn, leadId, attempts))
              .compose(r -> fixedPayout == null ? Future.succeededFuture()
                  : carryFixedPayout(conn, leadId, fixedBuyerId, fixedPayout));
        })).mapEmpty();
  }

  /**
   * Sets a fixed seller payout on one sale of a shared lead (its sales were recorded with none) and
   * writes its payout event. {@code buyerId} null: on the highest-priced sale, ties the earliest.
   */
  public static Future<Void> carryFixedPayout(SqlConnection conn, UUID leadId, Integer buyerId, Money payout) {
    return conn.preparedQuery("with carrier as (update sales set seller_payout_cents = $3 where id = (select id"
            + " from sales where lead_id = $1 and ($2::int is null or buyer_id = $2)"
            + " order by price_cents desc, id limit 1)"
            + " and not exists (select 1 from sales where lead_id = $1 and seller_payout_cents > 0)"
            + " returning id, buyer_id, seller_id, test)"
            + " insert into money_events (at, kind, lead_id, sale_id, buyer_id, seller_id, amount_cents, test)"
            + " select now(), 'payout', $1, id, buyer_id, seller_id, $3, test from carrier")
        .execute(Tuple.of(leadId, buyerId, Math.toIntExact(payout.cents()))).mapEmpty();
  }

  /**
   * One statement: the sale row, its sale and payout money events, and the buyer's cap unit (if any)
   * becoming the sale's. The sale carries its lead's report keys (ping time, campaign, seller,
   * source): reports read sales alone.
   */
  private static final String INSERT_SALE = "with sale as (insert into sales (lead_id, buyer_id, price_cents,"
      + " seller_payout_cents, test, sold_at, reference, ping_received_at, campaign_id, seller_id, source, sub_id)"
      + " select $1, $2, $3, $4, $5, $6, $7, l.ping_received_at, l.campaign_id, l.seller_id, l.source, l.sub_id"
      + " from leads l where l.id = $1 returning id),"
      + " events as (insert into money_events (at, kind, lead_id, sale_id, buyer_id, seller_id, amount_cents, test)"
      + " select $6, e.kind, $1, sale.id, $2, $8, e.amount, $5 from sale,"
      + " (values ('sale', $3::bigint), ('payout', $4::bigint)) e (kind, amount)),"
      + " unit as (delete from lead_reservations where lead_id = $1 and buyer_id = $2)"
      + " select id from sale";

  private static Future<Void> insertSale(SqlConnection conn, UUID leadId, boolean test, Sale sale, OffsetDateTime now) {
    return conn.preparedQuery(INSERT_SALE)
        .execute(Tuple.tuple().addValue(leadId).addValue(sale.buyerId()).addValue(Math.toIntExact(sale.price().cents()))
            .addValue(Math.toIntExact(sale.sellerPayout().cents())).addValue(test).addValue(now).addValue(sale.reference())
            .addValue(sale.sellerId()))
        .compose(rows -> rows.size() == 1 ? Future.<Void>succeededFuture()
            : Future.failedFuture(new IllegalStateException("lead " + leadId + " vanished under its sale")));
  }

  /**
   * Records that no buyer took the lead, and why, if {@code owner} still holds it (else
   * {@link LeaseLost}); {@code alsoInTransaction} gives back what the lead held (contacts, a unit).
   */
  public Future<Void> unsold(UUID leadId, String owner, String reason, List<PostAttempt> attempts, String answerJson,
                             Function<SqlConnection, Future<Void>> alsoInTransaction) {
    return Transactions.run(pool, conn -> {
      // pipelined, the lead's answer first (as for a sale): it fails unless the owner holds the lead
      Future<Void> closed = finish(conn, leadId, "unsold", reason, null, answerJson, owner);
      Future<Void> tried = attempts(conn, leadId, attempts);
      Future<Void> also = alsoInTransaction.apply(conn);
      return Future.join(closed, tried, also);
    }).mapEmpty();
  }

  /**
   * Closes a taken-over lead whose sale was committed but whose answer was not: the answer is
   * rebuilt from the sale (the seller's payout).
   */
  public Future<Void> soldAnswer(UUID leadId, String owner, Money sellerPayout, String answerJson) {
    return soldAnswer(leadId, owner, sellerPayout, answerJson, null);
  }

  /**
   * {@link #soldAnswer}, for a shared lead of a fixed-payout seller whose delivery died before its
   * payout was set: {@code fixedPayout} goes on its highest-priced sale.
   */
  public Future<Void> soldAnswer(UUID leadId, String owner, Money sellerPayout, String answerJson, Money fixedPayout) {
    return pool.withTransaction(conn -> finish(conn, leadId, "sold", null, sellerPayout, answerJson, owner)
        .compose(v -> fixedPayout == null ? Future.succeededFuture()
            : carryFixedPayout(conn, leadId, null, fixedPayout))).mapEmpty();
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

  /** Gives the lead its final answer; with an {@code owner}, only if that instance still holds its lease. */
  private static Future<Void> finish(SqlConnection conn, UUID leadId, String status, String reason, Money sellerPrice,
                                     String answerJson, String owner) {
    return conn.preparedQuery("update leads set status = $2, reason = $3, seller_price_cents = $4,"
            + " answer = $5::text::jsonb, updated_at = now(), lease_until = null"
            + " where id = $1 and status = 'delivering' and ($6::text is null or lease_owner = $6)")
        .execute(Tuple.tuple().addValue(leadId).addValue(status).addValue(reason)
            .addValue(sellerPrice == null ? null : Math.toIntExact(sellerPrice.cents())).addValue(answerJson)
            .addValue(owner))
        .compose(rows -> rows.rowCount() == 1 ? Future.succeededFuture() : Future.failedFuture(new LeaseLost(leadId)));
  }
}
