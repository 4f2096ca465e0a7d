package org.leadex.exchange.ledger;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.leadex.exchange.catalog.Buyer;
import org.leadex.exchange.catalog.Catalog;
import org.leadex.exchange.json.Json;

/**
 * The outbox of webhook deliveries (table {@code deliveries}): rows are added inside a sale's
 * transaction, claimed by the worker of any instance, and end {@code delivered} or {@code dead}
 * (dead-lettered after their last attempt, until an admin resends them). A claim is a lease: the
 * row's {@code next_at} moves a minute ahead, so a row whose instance died mid-send is sent again
 * by another (at least once, never lost). Thread safe (stateless over a pool).
 */
public final class DeliveryOutbox {
  /** How long a claimed row is hidden from other workers while it is being sent. */
  static final int LEASE_SECONDS = 60;

  /** A delivery to add with a sale; {@code error} set means it could not even be rendered (stored dead). */
  public record Item(int buyerId, String kind, String url, String contentType, String body, int maxAttempts,
                     String error) {}

  /** A claimed row to send now; {@code attempt} counts this one. */
  public record Due(long id, UUID leadId, int buyerId, String kind, String url, String contentType, String body,
                    int attempt, int maxAttempts) {
    public boolean last() {
      return attempt >= maxAttempts;
    }
  }

  private final Pool pool;

  public DeliveryOutbox(Pool pool) {
    this.pool = pool;
  }

  /** Adds deliveries in the caller's transaction (the sale's). */
  public static Future<Void> add(SqlConnection conn, UUID leadId, List<Item> items) {
    if (items.isEmpty()) {
      return Future.succeededFuture();
    }
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    List<Tuple> rows = new ArrayList<>();
    for (Item item : items) {
      rows.add(Tuple.tuple().addValue(leadId).addValue(item.buyerId()).addValue(item.kind()).addValue(item.url())
          .addValue(item.contentType()).addValue(item.body() == null ? "" : item.body())
          .addValue(item.error() == null ? "pending" : "dead").addValue(item.maxAttempts()).addValue(now)
          .addValue(item.error()));
    }
    return conn.preparedQuery("insert into deliveries (lead_id, buyer_id, kind, url, content_type, body, status,"
            + " max_attempts, next_at, created_at, last_error) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10)")
        .executeBatch(rows).mapEmpty();
  }

  /** Claims up to {@code limit} due rows, skipping rows another worker holds. */
  public Future<List<Due>> claim(int limit) {
    return pool.preparedQuery("update deliveries set attempts = attempts + 1,"
            + " next_at = now() + make_interval(secs => " + LEASE_SECONDS + ")"
            + " where id in (select id from deliveries where status = 'pending' and next_at <= now()"
            + " order by next_at limit $1 for update skip locked)"
            + " returning id, lead_id, buyer_id, kind, url, content_type, body, attempts, max_attempts")
        .execute(Tuple.of(limit))
        .map(rows -> {
          List<Due> out = new ArrayList<>();
          rows.forEach(r -> out.add(new Due(r.getLong(0), r.getUUID(1), r.getInteger(2), r.getString(3),
              r.getString(4), r.getString(5), r.getString(6), r.getInteger(7), r.getInteger(8))));
          return out;
        });
  }

  public Future<Void> delivered(long id) {
    return pool.preparedQuery("update deliveries set status = 'delivered', delivered_at = now(), last_error = null"
        + " where id = $1 and status = 'pending'").execute(Tuple.of(id)).mapEmpty();
  }

  /** A failed attempt: due again after {@code retryMillis}, or dead when it was the last. */
  public Future<Void> failed(Due due, String error, long retryMillis) {
    String text = error.length() <= 500 ? error : error.substring(0, 500);
    if (due.last()) {
      return pool.preparedQuery("update deliveries set status = 'dead', last_error = $2 where id = $1 and status = 'pending'")
          .execute(Tuple.of(due.id(), text)).mapEmpty();
    }
    return pool.preparedQuery("update deliveries set last_error = $2, next_at = now() + make_interval(secs => $3)"
            + " where id = $1 and status = 'pending'")
        .execute(Tuple.of(due.id(), text, retryMillis / 1000.0)).mapEmpty();
  }

  /**
   * Sends a dead (or delivered) row again from scratch: pending, due now, attempts reset. Empty
   * when there is no such row; {@code false} when it is still pending (nothing to do).
   */
  public Future<Optional<Boolean>> resend(long id) {
    return pool.preparedQuery("update deliveries set status = 'pending', attempts = 0, next_at = now(), last_error = null,"
            + " delivered_at = null where id = $1 and status <> 'pending' returning id")
        .execute(Tuple.of(id))
        .compose(rows -> rows.rowCount() == 1 ? Future.succeededFuture(Optional.of(true))
            : pool.preparedQuery("select 1 from deliveries where id = $1").execute(Tuple.of(id))
                .map(found -> found.size() == 0 ? Optional.<Boolean>empty() : Optional.of(false)));
  }

  /** Pending and dead rows now, for the gauges. */
  public Future<Map<String, Long>> counts() {
    return pool.query("select (select count(*) from deliveries where status = 'pending'),"
            + " (select count(*) from deliveries where status = 'dead')").execute()
        .map(rows -> {
          Row r = rows.iterator().next();
          return Map.of("pending", r.getLong(0), "dead", r.getLong(1));
        });
  }

  /** The newest rows of a status (bodies left out: they hold PII), for the admin API and dashboard. */
  public Future<ObjectNode> list(String status, int limit, Catalog catalog) {
    return pool.preparedQuery("select id, lead_id, buyer_id, kind, url, status, attempts, max_attempts, last_error,"
            + " created_at, next_at, delivered_at from deliveries where status = $1 order by id desc limit $2")
        .execute(Tuple.of(status, limit))
        .map(rows -> {
          ObjectNode out = Json.object();
          ArrayNode items = out.putArray("deliveries");
          for (Row r : rows) {
            Buyer buyer = catalog.buyersById().get(r.getInteger(2));
            ObjectNode item = items.addObject();
            item.put("id", String.valueOf(r.getLong(0)));
            item.put("lead_id", r.getUUID(1).toString());
            item.put("buyer", buyer == null ? null : buyer.code());
            item.put("kind", r.getString(3));
            item.put("url", r.getString(4));
            item.put("status", r.getString(5));
            item.put("attempts", r.getInteger(6));
            item.put("max_attempts", r.getInteger(7));
            item.put("last_error", r.getString(8));
            item.put("created_at", instant(r.getOffsetDateTime(9)));
            item.put("next_at", "pending".equals(r.getString(5)) ? instant(r.getOffsetDateTime(10)) : null);
            item.put("delivered_at", instant(r.getOffsetDateTime(11)));
          }
          return out;
        });
  }

  private static String instant(OffsetDateTime at) {
    return at == null ? null : at.toInstant().toString();
  }
}
