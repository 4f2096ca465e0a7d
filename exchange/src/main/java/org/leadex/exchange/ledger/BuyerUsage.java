package org.leadex.exchange.ledger;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.leadex.exchange.catalog.Buyer;
import org.leadex.exchange.money.Money;
import org.leadex.exchange.routing.BuyerCounters;

/**
 * How much of its caps and capacity each buyer has used, and when it last bought.
 *
 * <p>Two views, on purpose. Pings read a snapshot refreshed from PostgreSQL every 500 ms (plus
 * this instance's own changes at once): cheap, never a database round trip on the ping path, and
 * at worst a little stale. Posts make it exact: before a capped buyer is offered a lead, a unit of
 * its hourly and daily caps, budget and capacity is reserved in {@code buyer_usage} /
 * {@code buyer_state} under the row lock ({@code ... on conflict do update ... where sold < cap}),
 * and given back if the buyer declines. So a daily cap of 7 sells 7, whatever number of posts and
 * instances race for it. The unit is recorded against its lead ({@code lead_reservations}) until it
 * is given back or becomes a sale, so one held by an instance that died is given back by whoever
 * resolves the lead. Test traffic counts nowhere. Thread safe.
 */
public final class BuyerUsage {
  private static final Logger LOG = Logger.getLogger(BuyerUsage.class.getName());

  private record Key(int buyerId, char period, Instant start) {}

  /** A unit reserved for one offer: what to give back if the buyer declines. */
  public record Reservation(Buyer buyer, Money price, Instant hourStart, Instant dayStart, boolean capacity) {}

  private final Vertx vertx;
  private final Pool pool;
  private final Clock clock;
  private final ConcurrentHashMap<Key, long[]> periods = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Integer, int[]> open = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Integer, Instant> lastSold = new ConcurrentHashMap<>();
  private long timer = -1;

  public BuyerUsage(Vertx vertx, Pool pool, Clock clock) {
    this.vertx = vertx;
    this.pool = pool;
    this.clock = clock;
  }

  public Future<Void> start() {
    return refresh().onSuccess(v -> timer = vertx.setPeriodic(500, id -> refresh()
        .onFailure(e -> LOG.log(Level.FINE, "usage refresh failed", e))));
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /** The snapshot's counters of a buyer at {@code now}. */
  public BuyerCounters counters(Buyer buyer, Instant now) {
    long[] hour = periods.get(new Key(buyer.id(), 'h', hourStart(buyer.zone(), now)));
    long[] day = periods.get(new Key(buyer.id(), 'd', dayStart(buyer.zone(), now)));
    int[] held = open.get(buyer.id());
    return new BuyerCounters(hour == null ? 0 : (int) hour[0], day == null ? 0 : (int) day[0],
        Money.ofCents(day == null ? 0 : day[1]), held == null ? 0 : held[0], lastSold.get(buyer.id()));
  }

  /** When each buyer last bought, for round robin. */
  public Map<Integer, Instant> lastSold() {
    return Map.copyOf(lastSold);
  }

  /**
   * Reserves one lead at {@code price} of the buyer's caps and capacity for the lead {@code leadId};
   * empty when reserved, else the limit that stopped it. {@code first} runs first in the same
   * transaction (the lead's lease renewal: no unit is taken for an offer that may not be sent). The
   * unit is recorded against the lead in {@code lead_reservations}, so that a unit held by an instance
   * that died is found and given back. Buyers without limits need no reservation.
   */
  public Future<Optional<String>> reserve(Buyer buyer, Money price, UUID leadId,
                                          Function<SqlConnection, Future<Void>> first, Reservation[] out) {
    Instant now = clock.instant();
    Instant hour = hourStart(buyer.zone(), now);
    Instant day = dayStart(buyer.zone(), now);
    Integer hourly = buyer.caps().hourly();
    Integer daily = buyer.caps().dailyNow(buyer.schedule().orElse(null), now);
    long budget = buyer.caps().dailyBudget() == null ? Long.MAX_VALUE : buyer.caps().dailyBudget().cents();
    if ((hourly != null && hourly < 1) || (daily != null && daily < 1) || price.cents() > budget) {
      return Future.succeededFuture(Optional.of(hourly != null && hourly < 1 ? "cap: hourly " + hourly + " reached"
          : daily != null && daily < 1 ? "cap: daily " + buyer.caps().daily() + " reached"
          : "cap: daily_budget " + buyer.caps().dailyBudget() + " reached"));
    }
    boolean capacity = buyer.maxConcurrent() > 0;
    return pool.withTransaction(conn -> first.apply(conn)
            .compose(v -> take(conn, buyer.id(), 'h', hour, price, hourly, Long.MAX_VALUE))
            .compose(ok -> ok ? take(conn, buyer.id(), 'd', day, price, daily, budget) : refuse("cap: hourly " + hourly + " reached"))
            .compose(ok -> ok ? (capacity ? holdOpen(conn, buyer) : Future.succeededFuture(true))
                : refuse(dailyReason(buyer, daily)))
            .compose(ok -> ok ? Future.succeededFuture(true) : refuse("capacity: " + buyer.maxConcurrent() + " of "
                + buyer.maxConcurrent() + " open"))
            .compose(ok -> conn.preparedQuery("insert into lead_reservations (lead_id, buyer_id, price_cents,"
                    + " hour_start, day_start, capacity) values ($1, $2, $3, $4, $5, $6)")
                .execute(Tuple.of(leadId, buyer.id(), price.cents(), utc(hour), utc(day), capacity))))
        .map(ok -> {
          out[0] = new Reservation(buyer, price, hour, day, capacity);
          adjust(buyer.id(), hour, day, price, 1, capacity ? 1 : 0);
          return Optional.<String>empty();
        })
        .recover(e -> e instanceof Refused refused ? Future.succeededFuture(Optional.of(refused.getMessage()))
            : Future.failedFuture(e));
  }

  /** Gives back the unit the lead holds of this buyer, if any (the buyer declined). */
  public Future<Void> release(UUID leadId, int buyerId) {
    return pool.withTransaction(conn -> give(conn, conn.preparedQuery("delete from lead_reservations"
        + " where lead_id = $1 and buyer_id = $2 returning buyer_id, price_cents, hour_start, day_start, capacity")
        .execute(Tuple.of(leadId, buyerId))));
  }

  /**
   * In the caller's transaction: gives back the unit the lead holds, if any. Idempotent: the
   * reservation's row is deleted as the unit is given back, so a unit is never given back twice
   * (by its owner and by an instance resolving the lead after the owner's lease expired).
   */
  public Future<Void> releaseHeld(SqlConnection conn, UUID leadId) {
    return give(conn, conn.preparedQuery("delete from lead_reservations where lead_id = $1"
            + " returning buyer_id, price_cents, hour_start, day_start, capacity")
        .execute(Tuple.of(leadId)));
  }

  /** Gives back the units whose reservations were just deleted (a shared lead may hold several). */
  private Future<Void> give(SqlConnection conn, Future<RowSet<Row>> deleted) {
    return deleted.compose(rows -> {
      Future<Void> all = Future.succeededFuture();
      for (Row r : rows) {
        all = all.compose(v -> giveOne(conn, r));
      }
      return all;
    });
  }

  private Future<Void> giveOne(SqlConnection conn, Row r) {
    String usageSql = "update buyer_usage set sold = greatest(sold - 1, 0),"
        + " spent_cents = greatest(spent_cents - $4, 0) where buyer_id = $1 and period = $2 and period_start = $3";
    int buyerId = r.getInteger(0);
    long cents = r.getLong(1);
    OffsetDateTime hour = r.getOffsetDateTime(2);
    OffsetDateTime day = r.getOffsetDateTime(3);
    boolean capacity = r.getBoolean(4);
    adjust(buyerId, hour.toInstant(), day.toInstant(), Money.ofCents(cents), -1, capacity ? -1 : 0);
    return conn.preparedQuery(usageSql).execute(Tuple.of(buyerId, "h", hour, cents))
        .compose(x -> conn.preparedQuery(usageSql).execute(Tuple.of(buyerId, "d", day, cents)))
        .compose(x -> capacity
            ? conn.preparedQuery("update buyer_state set open_leads = greatest(open_leads - 1, 0)"
                + " where buyer_id = $1").execute(Tuple.of(buyerId)).mapEmpty()
            : Future.succeededFuture());
  }

  /**
   * In the sale's transaction: the buyer bought now. A buyer whose capacity was not reserved still
   * holds the lead open, so that a capacity limit set later counts it.
   */
  public Future<Void> recordSale(SqlConnection conn, Buyer buyer, boolean capacityReserved, boolean unreservedCaps,
                                 Money price) {
    Instant now = clock.instant();
    lastSold.merge(buyer.id(), now, (a, b) -> a.isAfter(b) ? a : b);
    Future<?> usage = Future.succeededFuture();
    if (unreservedCaps) {
      // unlimited buyers are counted too, so that caps set later and GET /v1/buyers/me see today's use
      Instant hour = hourStart(buyer.zone(), now);
      Instant day = dayStart(buyer.zone(), now);
      adjust(buyer.id(), hour, day, price, 1, 0);
      usage = take(conn, buyer.id(), 'h', hour, price, null, Long.MAX_VALUE)
          .compose(x -> take(conn, buyer.id(), 'd', day, price, null, Long.MAX_VALUE));
    }
    return usage.compose(x -> conn.preparedQuery("insert into buyer_state (buyer_id, last_sold_at, open_leads)"
            + " values ($1, $2, $3) on conflict (buyer_id) do update set last_sold_at = excluded.last_sold_at,"
            + " open_leads = buyer_state.open_leads + excluded.open_leads")
        .execute(Tuple.of(buyer.id(), utc(now), capacityReserved ? 0 : 1))).mapEmpty();
  }

  private Future<Boolean> take(SqlConnection conn, int buyerId, char period, Instant start, Money price, Integer cap,
                               long budget) {
    return conn.preparedQuery("insert into buyer_usage (buyer_id, period, period_start, sold, spent_cents)"
            + " values ($1, $2, $3, 1, $4) on conflict (buyer_id, period, period_start) do update"
            + " set sold = buyer_usage.sold + 1, spent_cents = buyer_usage.spent_cents + excluded.spent_cents"
            + " where buyer_usage.sold < $5 and buyer_usage.spent_cents + excluded.spent_cents <= $6 returning sold")
        .execute(Tuple.of(buyerId, String.valueOf(period), utc(start), price.cents(),
            cap == null ? Integer.MAX_VALUE : cap, budget))
        .map(rows -> rows.size() == 1);
  }

  private Future<Boolean> holdOpen(SqlConnection conn, Buyer buyer) {
    return conn.preparedQuery("insert into buyer_state (buyer_id, open_leads) values ($1, 1) on conflict (buyer_id)"
            + " do update set open_leads = buyer_state.open_leads + 1 where buyer_state.open_leads < $2"
            + " returning open_leads")
        .execute(Tuple.of(buyer.id(), buyer.maxConcurrent()))
        .map(rows -> rows.size() == 1);
  }

  private static String dailyReason(Buyer buyer, Integer dailyNow) {
    if (buyer.caps().daily() != null && dailyNow != null && !dailyNow.equals(buyer.caps().daily())) {
      return "cap: paced daily " + dailyNow + " of " + buyer.caps().daily() + " reached";
    }
    return buyer.caps().daily() != null ? "cap: daily " + buyer.caps().daily() + " reached"
        : "cap: daily_budget " + buyer.caps().dailyBudget() + " reached";
  }

  /** Thrown inside a reservation's transaction to roll it back, carrying the limit's reason. */
  private static final class Refused extends RuntimeException {
    Refused(String reason) {
      super(reason, null, false, false);
    }
  }

  private static Future<Boolean> refuse(String reason) {
    return Future.failedFuture(new Refused(reason));
  }

  private void adjust(int buyerId, Instant hour, Instant day, Money price, int leads, int held) {
    periods.merge(new Key(buyerId, 'h', hour), new long[] {leads, price.cents() * leads}, BuyerUsage::add);
    periods.merge(new Key(buyerId, 'd', day), new long[] {leads, price.cents() * leads}, BuyerUsage::add);
    if (held != 0) {
      open.merge(buyerId, new int[] {held}, (a, b) -> new int[] {Math.max(0, a[0] + b[0])});
    }
  }

  private static long[] add(long[] a, long[] b) {
    return new long[] {Math.max(0, a[0] + b[0]), Math.max(0, a[1] + b[1])};
  }

  private Future<Void> refresh() {
    OffsetDateTime since = utc(clock.instant().minus(2, ChronoUnit.DAYS));
    return pool.preparedQuery("select buyer_id, period, period_start, sold, spent_cents from buyer_usage"
            + " where period_start >= $1").execute(Tuple.of(since))
        .compose(rows -> pool.query("select buyer_id, last_sold_at, open_leads from buyer_state").execute()
            .map(state -> {
              Map<Key, long[]> fresh = new HashMap<>();
              rows.forEach(r -> fresh.put(new Key(r.getInteger(0), r.getString(1).charAt(0),
                  r.getOffsetDateTime(2).toInstant()), new long[] {r.getInteger(3), r.getLong(4)}));
              periods.keySet().retainAll(fresh.keySet());
              periods.putAll(fresh);
              state.forEach(r -> {
                open.put(r.getInteger(0), new int[] {r.getInteger(2)});
                if (r.getOffsetDateTime(1) != null) {
                  lastSold.merge(r.getInteger(0), r.getOffsetDateTime(1).toInstant(), (a, b) -> a.isAfter(b) ? a : b);
                }
              });
              return null;
            }));
  }

  static Instant hourStart(ZoneId zone, Instant now) {
    return ZonedDateTime.ofInstant(now, zone).truncatedTo(ChronoUnit.HOURS).toInstant();
  }

  static Instant dayStart(ZoneId zone, Instant now) {
    return ZonedDateTime.ofInstant(now, zone).toLocalDate().atStartOfDay(zone).toInstant();
  }

  private static OffsetDateTime utc(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
