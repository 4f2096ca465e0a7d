package org.leadex.exchange.ledger;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
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
import org.leadex.exchange.postgres.Transactions;
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
  private final LocalPeriods periodStarts = new LocalPeriods();
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
    LocalPeriods.Starts starts = periodStarts.at(buyer.zone(), now);
    long[] hour = periods.get(new Key(buyer.id(), 'h', starts.hour()));
    long[] day = periods.get(new Key(buyer.id(), 'd', starts.day()));
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
    // Pipelined (all sent at once, run in order), the statement on the rows every offer to this
    // buyer shares last: they stay locked for one round trip and the commit.
    return Transactions.run(pool, conn -> {
          Future<Void> leased = first.apply(conn);
          Future<RowSet<Row>> unit = conn.preparedQuery("insert into lead_reservations (lead_id, buyer_id,"
                  + " price_cents, hour_start, day_start, capacity) values ($1, $2, $3, $4, $5, $6)")
              .execute(Tuple.of(leadId, buyer.id(), price.cents(), utc(hour), utc(day), capacity));
          Future<RowSet<Row>> taken = conn.preparedQuery(TAKE_UNIT).execute(Tuple.tuple().addValue(buyer.id())
              .addValue(utc(hour)).addValue(utc(day)).addValue(price.cents())
              .addValue(hourly == null ? Integer.MAX_VALUE : hourly).addValue(daily == null ? Integer.MAX_VALUE : daily)
              .addValue(budget).addValue(capacity).addValue(buyer.maxConcurrent()));
          return Future.join(leased, unit, taken).compose(all -> {
            Row took = taken.result().iterator().next();
            return !took.getBoolean(0) ? refuse("cap: hourly " + hourly + " reached")
                : !took.getBoolean(1) ? refuse(dailyReason(buyer, daily))
                : capacity && !took.getBoolean(2) ? refuse("capacity: " + buyer.maxConcurrent() + " of "
                    + buyer.maxConcurrent() + " open")
                : Future.succeededFuture(true);
          });
        })
        .map(ok -> {
          out[0] = new Reservation(buyer, price, hour, day, capacity);
          adjust(buyer.id(), hour, day, price, 1, capacity ? 1 : 0);
          return Optional.<String>empty();
        })
        .recover(e -> e instanceof Refused refused ? Future.succeededFuture(Optional.of(refused.getMessage()))
            : Future.failedFuture(e));
  }

  /**
   * One unit of the buyer's hour ($2) and day ($3) at price $4, within the hourly cap $5, the daily
   * cap $6 and the daily budget $7, and, when $8, one of its $9 open leads, each row's lock waited for
   * and its latest value checked (on conflict do update). Answers which were taken; a caller that
   * finds one missing rolls the whole back, so all are tried. Rows locked state, day, hour, the order
   * of every statement on them (see {@link #SALE_COUNTED}): each reads the one before it.
   */
  private static final String TAKE_UNIT = "with open as (insert into buyer_state (buyer_id, open_leads)"
      + " select $1, 1 where $8 on conflict (buyer_id) do update set open_leads = buyer_state.open_leads + 1"
      + " where buyer_state.open_leads < $9 returning 1),"
      + " day as (insert into buyer_usage (buyer_id, period, period_start, sold, spent_cents)"
      + " select $1, 'd', $3, 1, $4 from (select count(*) from open) after_open"
      + " on conflict (buyer_id, period, period_start) do update set sold = buyer_usage.sold + 1,"
      + " spent_cents = buyer_usage.spent_cents + excluded.spent_cents"
      + " where buyer_usage.sold < $6 and buyer_usage.spent_cents + excluded.spent_cents <= $7 returning 1),"
      + " hour as (insert into buyer_usage (buyer_id, period, period_start, sold, spent_cents)"
      + " select $1, 'h', $2, 1, $4 from (select count(*) from day) after_day"
      + " on conflict (buyer_id, period, period_start) do update set sold = buyer_usage.sold + 1,"
      + " spent_cents = buyer_usage.spent_cents + excluded.spent_cents where buyer_usage.sold < $5 returning 1)"
      + " select exists (select 1 from hour), exists (select 1 from day), exists (select 1 from open)";

  /** Gives back the unit the lead holds of this buyer, if any (the buyer declined). */
  public Future<Void> release(UUID leadId, int buyerId) {
    return give(pool, leadId, buyerId);
  }

  /**
   * In the caller's transaction: gives back the units the lead holds, if any (a shared lead may hold
   * several). Idempotent: the reservation's row is deleted as the unit is given back, so a unit is
   * never given back twice (by its owner and by an instance resolving the lead after the owner's
   * lease expired).
   */
  public Future<Void> releaseHeld(SqlConnection conn, UUID leadId) {
    return give(conn, leadId, null);
  }

  /**
   * One statement: a single round trip holds the buyer's shared rows the least. Rows locked state,
   * day, hour (see {@link #SALE_COUNTED}): each update reads the one before it.
   */
  private static final String GIVE_BACK = "with unit as (delete from lead_reservations where lead_id = $1"
      + " and ($2::int is null or buyer_id = $2) returning buyer_id, price_cents, hour_start, day_start, capacity),"
      + " open as (update buyer_state b set open_leads = greatest(b.open_leads - 1, 0) from unit"
      + " where b.buyer_id = unit.buyer_id and unit.capacity returning 1),"
      + " day as (update buyer_usage u set sold = greatest(u.sold - 1, 0),"
      + " spent_cents = greatest(u.spent_cents - unit.price_cents, 0) from unit, (select count(*) from open) after_open"
      + " where u.buyer_id = unit.buyer_id and u.period = 'd' and u.period_start = unit.day_start returning 1),"
      + " hour as (update buyer_usage u set sold = greatest(u.sold - 1, 0),"
      + " spent_cents = greatest(u.spent_cents - unit.price_cents, 0) from unit, (select count(*) from day) after_day"
      + " where u.buyer_id = unit.buyer_id and u.period = 'h' and u.period_start = unit.hour_start returning 1)"
      + " select buyer_id, price_cents, hour_start, day_start, capacity"
      + " from unit, (select count(*) from hour) after_hour";

  private Future<Void> give(SqlClient client, UUID leadId, Integer buyerId) {
    return client.preparedQuery(GIVE_BACK).execute(Tuple.of(leadId, buyerId)).map(rows -> {
      for (Row r : rows) {
        adjust(r.getInteger(0), r.getOffsetDateTime(2).toInstant(), r.getOffsetDateTime(3).toInstant(),
            Money.ofCents(r.getLong(1)), -1, r.getBoolean(4) ? -1 : 0);
      }
      return null;
    });
  }

  /**
   * In the sale's transaction: the buyer bought now. A buyer whose capacity was not reserved still
   * holds the lead open, so that a capacity limit set later counts it. Only the database: this
   * instance's snapshot counts the sale once it is committed ({@link #counted}), so a write that is
   * rolled back and made again counts once.
   */
  public Future<Void> recordSale(SqlConnection conn, Buyer buyer, boolean capacityReserved, boolean unreservedCaps,
                                 Money price) {
    Instant now = clock.instant();
    int opened = capacityReserved ? 0 : 1;
    if (!unreservedCaps) {
      return conn.preparedQuery(SALE_STATE).execute(Tuple.of(buyer.id(), utc(now), opened)).mapEmpty();
    }
    // unlimited buyers are counted too, so that caps set later and GET /v1/buyers/me see today's use
    return conn.preparedQuery(SALE_COUNTED)
        .execute(Tuple.of(buyer.id(), utc(now), opened, utc(hourStart(buyer.zone(), now)),
            utc(dayStart(buyer.zone(), now)), price.cents()))
        .mapEmpty();
  }

  /**
   * After a sale's commit: this instance's snapshot has it at once (the refresh would within 500 ms),
   * for the next ping's round robin and, for a buyer without a reservation, its counters.
   */
  public void counted(Buyer buyer, boolean unreservedCaps, Money price) {
    Instant now = clock.instant();
    lastSold.merge(buyer.id(), now, (a, b) -> a.isAfter(b) ? a : b);
    if (unreservedCaps) {
      adjust(buyer.id(), hourStart(buyer.zone(), now), dayStart(buyer.zone(), now), price, 1, 0);
    }
  }

  /** The buyer's last sale and the lead it holds open (unless its capacity unit was reserved). */
  private static final String SALE_STATE = "insert into buyer_state (buyer_id, last_sold_at, open_leads)"
      + " values ($1, $2, $3) on conflict (buyer_id) do update set last_sold_at = excluded.last_sold_at,"
      + " open_leads = buyer_state.open_leads + excluded.open_leads";

  /**
   * {@link #SALE_STATE} and the sale counted in the buyer's day and hour, in one statement: these
   * rows are shared by all of the buyer's sales, and one round trip holds their locks the least.
   * Every statement on them locks them in one order, state, day, hour, so that none waits for
   * another in the opposite order: each part reads the one before it, since PostgreSQL runs
   * sub-statements that nothing reads in an order it does not promise (last first, in fact). This
   * order, not hour first, is also the faster for sales (docs/performance.md, "The post path").
   */
  private static final String SALE_COUNTED = "with open as (insert into buyer_state"
      + " (buyer_id, last_sold_at, open_leads)"
      + " values ($1, $2, $3) on conflict (buyer_id) do update set last_sold_at = excluded.last_sold_at,"
      + " open_leads = buyer_state.open_leads + excluded.open_leads returning 1),"
      + " day as (insert into buyer_usage (buyer_id, period, period_start, sold, spent_cents)"
      + " select $1, 'd', $5, 1, $6 from (select count(*) from open) after_open"
      + " on conflict (buyer_id, period, period_start)"
      + " do update set sold = buyer_usage.sold + 1, spent_cents = buyer_usage.spent_cents + excluded.spent_cents"
      + " returning 1)"
      + " insert into buyer_usage (buyer_id, period, period_start, sold, spent_cents)"
      + " select $1, 'h', $4, 1, $6 from (select count(*) from day) after_day"
      + " on conflict (buyer_id, period, period_start)"
      + " do update set sold = buyer_usage.sold + 1, spent_cents = buyer_usage.spent_cents + excluded.spent_cents";

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

  private Instant hourStart(ZoneId zone, Instant now) {
    return periodStarts.at(zone, now).hour();
  }

  private Instant dayStart(ZoneId zone, Instant now) {
    return periodStarts.at(zone, now).day();
  }

  private static OffsetDateTime utc(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
