package org.leadex.exchange.billing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.leadex.exchange.catalog.Buyer;
import org.leadex.exchange.json.Json;
import org.leadex.exchange.ledger.DeliveryOutbox;
import org.leadex.exchange.money.Money;
import org.leadex.exchange.routing.Funds;

/**
 * Prepaid buyers' wallets (tables {@code wallets}, {@code wallet_reservations},
 * {@code wallet_entries}). The price of an offer is reserved before the lead is posted, with one
 * conditional update that holds on every instance at once; it becomes a debit in the sale's
 * transaction or is given back when the buyer declines or the lead is closed. Every change of a
 * balance writes a ledger entry in the same transaction.
 *
 * <p>The ping path reads balances from memory ({@link #spendable}): refreshed from the database
 * every {@value #REFRESH_MILLIS} ms and after each local change, so a ping never waits on the
 * database; a stale view at worst lets a buyer bid that the reservation at the post then refuses.
 * Thread safe.
 */
public final class Wallets implements Funds {
  private static final Logger LOG = Logger.getLogger(Wallets.class.getName());
  static final long REFRESH_MILLIS = 1_000;

  /** One wallet as last seen. */
  private record Held(long balance, long reserved) {}

  /** The result of a funds call: the balance after it, or why it was refused. */
  public record Funded(Money balance, String refused) {}

  private final Vertx vertx;
  private final Pool pool;
  private final Map<Integer, Held> seen = new ConcurrentHashMap<>();
  private volatile long timer = -1;

  public Wallets(Vertx vertx, Pool pool) {
    this.vertx = vertx;
    this.pool = pool;
  }

  public Future<Void> start() {
    Future<Void> first = refresh();
    timer = vertx.setPeriodic(REFRESH_MILLIS, id -> refresh()
        .onFailure(e -> LOG.log(Level.FINE, "could not refresh wallet balances", e)));
    return first;
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  private Future<Void> refresh() {
    return pool.query("select buyer_id, balance_cents, reserved_cents from wallets").execute()
        .map(rows -> {
          rows.forEach(this::see);
          return null;
        });
  }

  private void see(Row r) {
    seen.put(r.getInteger(0), new Held(r.getLong(1), r.getLong(2)));
  }

  @Override
  public Money spendable(Buyer buyer) {
    if (!buyer.billing().prepaid()) {
      return null;
    }
    Held held = seen.get(buyer.id());
    long available = held == null ? 0 : held.balance() - held.reserved();
    return Money.ofCents(available + buyer.billing().creditLimit().cents());
  }

  /** The balance as last seen (null: postpaid), for the low-balance gauge. */
  public Money balanceSeen(Buyer buyer) {
    if (!buyer.billing().prepaid()) {
      return null;
    }
    Held held = seen.get(buyer.id());
    return Money.ofCents(held == null ? 0 : held.balance());
  }

  /** Whether a sale to this buyer goes through its wallet (test leads never do). */
  public static boolean charges(Buyer buyer, boolean test) {
    return !test && buyer.billing().prepaid();
  }

  /**
   * Reserves {@code price} of the buyer's wallet for its offer of the lead: empty when reserved,
   * else the reason it was not ({@code balance: 3.20 < 14.25}, what it could spend and the price).
   */
  public Future<Optional<String>> reserve(Buyer buyer, UUID leadId, Money price) {
    long credit = buyer.billing().creditLimit().cents();
    String sql = "with w as (update wallets set reserved_cents = reserved_cents + $3"
        + " where buyer_id = $1 and balance_cents - reserved_cents + $4 >= $3 returning buyer_id, balance_cents,"
        + " reserved_cents), r as (insert into wallet_reservations (lead_id, buyer_id, amount_cents)"
        + " select $2, $1, $3 from w) select buyer_id, balance_cents, reserved_cents from w";
    Tuple args = Tuple.of(buyer.id(), leadId, price.cents(), credit);
    return pool.preparedQuery(sql).execute(args).compose(rows -> {
      if (rows.size() == 1) {
        rows.forEach(this::see);
        return Future.succeededFuture(Optional.<String>empty());
      }
      // No row yet (never funded: a credit limit alone may cover the price), or short of money.
      return pool.preparedQuery("insert into wallets (buyer_id) values ($1) on conflict do nothing"
              + " returning buyer_id").execute(Tuple.of(buyer.id()))
          .compose(created -> created.size() == 1 ? pool.preparedQuery(sql).execute(args)
              : Future.succeededFuture((RowSet<Row>) null))
          .compose(retried -> {
            if (retried != null && retried.size() == 1) {
              retried.forEach(this::see);
              return Future.succeededFuture(Optional.<String>empty());
            }
            return pool.preparedQuery("select buyer_id, balance_cents, reserved_cents from wallets where buyer_id = $1")
                .execute(Tuple.of(buyer.id())).map(now -> {
                  now.forEach(this::see);
                  return Optional.of(Funds.shortOf(spendable(buyer), price));
                });
          });
    });
  }

  /** Gives back what the buyer's offer of the lead holds, if anything (the buyer declined). */
  public Future<Void> release(UUID leadId, int buyerId) {
    return pool.preparedQuery("with r as (delete from wallet_reservations where lead_id = $1 and buyer_id = $2"
            + " returning buyer_id, amount_cents) update wallets w set reserved_cents = w.reserved_cents - r.amount_cents"
            + " from r where w.buyer_id = r.buyer_id returning w.buyer_id, w.balance_cents, w.reserved_cents")
        .execute(Tuple.of(leadId, buyerId)).map(rows -> {
          rows.forEach(this::see);
          return null;
        });
  }

  /**
   * In the caller's transaction (a lead closed unsold, by its owner or by the instance that took
   * it over): gives back whatever the lead holds of any wallet. Idempotent: each reservation's row
   * is deleted as it is given back.
   */
  public static Future<Void> releaseHeld(SqlConnection conn, UUID leadId) {
    return conn.preparedQuery("with r as (delete from wallet_reservations where lead_id = $1"
            + " returning buyer_id, amount_cents) update wallets w set reserved_cents = w.reserved_cents - r.amount_cents"
            + " from r where w.buyer_id = r.buyer_id")
        .execute(Tuple.of(leadId)).mapEmpty();
  }

  /**
   * In the sale's transaction: the buyer's reservation for the lead becomes a debit and a ledger
   * entry. When the debit takes the balance below the buyer's low-balance alert (from at or above
   * it), a notice goes to the buyer's notify webhook through the outbox, with the sale.
   */
  public static Future<Void> debit(SqlConnection conn, UUID leadId, Buyer buyer) {
    return conn.preparedQuery("with r as (delete from wallet_reservations where lead_id = $1 and buyer_id = $2"
            + " returning amount_cents), w as (update wallets t set reserved_cents = t.reserved_cents - r.amount_cents,"
            + " balance_cents = t.balance_cents - r.amount_cents from r where t.buyer_id = $2"
            + " returning t.balance_cents, r.amount_cents), e as (insert into wallet_entries (buyer_id, kind,"
            + " amount_cents, balance_cents, lead_id) select $2, 'sale', -amount_cents, balance_cents, $1 from w)"
            + " select balance_cents, amount_cents from w")
        .execute(Tuple.of(leadId, buyer.id()))
        .compose(rows -> {
          if (rows.size() == 0 || buyer.notice().isEmpty() || !buyer.billing().prepaid()) {
            return Future.succeededFuture();
          }
          Row r = rows.iterator().next();
          long after = r.getLong(0);
          long before = after + r.getLong(1);
          long alert = buyer.billing().lowBalanceAlert().cents();
          if (!(before >= alert && after < alert)) {
            return Future.succeededFuture();
          }
          return DeliveryOutbox.add(conn, leadId, List.of(lowBalanceNotice(buyer, Money.ofCents(after))));
        });
  }

  /** A fixed, PII-free JSON notice (the buyer's notify template describes sales, not its wallet). */
  static DeliveryOutbox.Item lowBalanceNotice(Buyer buyer, Money balance) {
    var body = Json.object();
    body.put("text", "Wallet of " + buyer.name() + " is low: balance " + balance + " is below "
        + buyer.billing().lowBalanceAlert());
    body.put("event", "low_balance");
    body.put("buyer", buyer.code());
    body.put("balance", balance.toDecimal());
    body.put("low_balance_alert", buyer.billing().lowBalanceAlert().toDecimal());
    var hook = buyer.notice().orElseThrow();
    return new DeliveryOutbox.Item(buyer.id(), "notify", hook.url().toString(), "application/json",
        Json.text(body), hook.maxAttempts(), null);
  }

  /**
   * In an approved return's transaction: credits the buyer's wallet with the refund when that sale
   * was paid from it (a sale made while the buyer was postpaid is refunded on its invoice instead).
   */
  public static Future<Void> refund(SqlConnection conn, UUID leadId, int buyerId, Money amount) {
    return conn.preparedQuery("with w as (update wallets set balance_cents = balance_cents + $3 where buyer_id = $2"
            + " and exists (select 1 from wallet_entries where lead_id = $1 and buyer_id = $2 and kind = 'sale')"
            + " returning balance_cents) insert into wallet_entries (buyer_id, kind, amount_cents, balance_cents,"
            + " lead_id) select $2, 'refund', $3, balance_cents, $1 from w")
        .execute(Tuple.of(leadId, buyerId, amount.cents())).mapEmpty();
  }

  /**
   * Adds funds (positive) or adjusts (negative) a prepaid buyer's wallet, with its ledger entry. An
   * adjustment that would leave less than nothing to spend (balance − reserved + credit limit < 0)
   * is refused: no movement takes a wallet past its credit limit. {@code alsoRecord} runs in the
   * same transaction once the movement is made (the audit log: who moved the money).
   */
  public Future<Funded> fund(Buyer buyer, Money amount, String reference, String reason,
                             java.util.function.Function<SqlConnection, Future<Void>> alsoRecord) {
    long credit = buyer.billing().creditLimit().cents();
    return pool.withTransaction(conn -> conn.preparedQuery("insert into wallets (buyer_id) values ($1)"
                + " on conflict do nothing").execute(Tuple.of(buyer.id()))
            .compose(x -> conn.preparedQuery("update wallets set balance_cents = balance_cents + $2 where buyer_id = $1"
                    + " and ($2 >= 0 or balance_cents - reserved_cents + $2 + $3 >= 0)"
                    + " returning buyer_id, balance_cents, reserved_cents")
                .execute(Tuple.of(buyer.id(), amount.cents(), credit)))
            .compose(rows -> {
              if (rows.size() == 0) {
                return Future.succeededFuture(new Funded(null, "the adjustment would take the wallet past its"
                    + " credit limit"));
              }
              Row r = rows.iterator().next();
              see(r);
              long balance = r.getLong(1);
              return conn.preparedQuery("insert into wallet_entries (buyer_id, kind, amount_cents, balance_cents,"
                      + " reference, reason) values ($1, $2, $3, $4, $5, $6)")
                  .execute(Tuple.of(buyer.id(), amount.cents() < 0 ? "adjustment" : "funds", amount.cents(), balance,
                      reference, reason))
                  .compose(y -> alsoRecord.apply(conn))
                  .map(y -> new Funded(Money.ofCents(balance), null));
            }));
  }

  /** The wallet's balance now, from the database (zero when never funded). */
  public Future<Money> balance(int buyerId) {
    return pool.preparedQuery("select balance_cents from wallets where buyer_id = $1").execute(Tuple.of(buyerId))
        .map(rows -> Money.ofCents(rows.size() == 0 ? 0 : rows.iterator().next().getLong(0)));
  }
}
