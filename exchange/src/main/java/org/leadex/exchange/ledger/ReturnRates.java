package org.leadex.exchange.ledger;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Each buyer's return rate over the last 30 days, for campaigns that rank offers by expected net:
 * approved returns ÷ sales (all campaigns, test traffic excluded), in basis points rounded half-up,
 * for buyers with at least {@link #MIN_SALES} sales; others count as 0. Read from PostgreSQL once a
 * minute and whenever the catalog changes, only while some campaign ranks by expected net; the ping
 * path reads the snapshot.
 * A 30-day rate moves slowly, so a minute-old figure ranks the same. Thread safe.
 */
public final class ReturnRates {
  private static final Logger LOG = Logger.getLogger(ReturnRates.class.getName());
  public static final int MIN_SALES = 20;
  private static final long REFRESH_MILLIS = 60_000;

  private final Vertx vertx;
  private final Pool pool;
  private final BooleanSupplier needed;
  private final java.util.function.LongSupplier catalogVersion;
  private long seenVersion = -1;
  private volatile Map<Integer, Integer> rates = Map.of();
  private long timer = -1;
  private boolean loaded;

  /**
   * @param needed         whether any campaign ranks by expected net now
   * @param catalogVersion the catalog's version: a change (a campaign switched to expected net) reads the rates again
   */
  public ReturnRates(Vertx vertx, Pool pool, BooleanSupplier needed, java.util.function.LongSupplier catalogVersion) {
    this.vertx = vertx;
    this.pool = pool;
    this.needed = needed;
    this.catalogVersion = catalogVersion;
  }

  public void start() {
    timer = vertx.setPeriodic(1_000, id -> {
      if (!needed.getAsBoolean()) {
        return;
      }
      long version = catalogVersion.getAsLong();
      if (!loaded || version != seenVersion || refreshDue()) {
        seenVersion = version;
        refresh();
      }
    });
  }

  private long lastRefresh;

  private boolean refreshDue() {
    return System.currentTimeMillis() - lastRefresh >= REFRESH_MILLIS;
  }

  /** Reads the rates now (also used by tests and at a campaign's switch to expected net). */
  public Future<Void> refresh() {
    lastRefresh = System.currentTimeMillis();
    // By the ping's time, which sales carry with an index (V10); a sale follows its ping within minutes.
    return pool.query("select buyer_id, count(*), count(returned_at) from sales"
            + " where not test and ping_received_at >= now() - interval '30 days' group by buyer_id")
        .execute()
        .map(rows -> {
          Map<Integer, Integer> next = new HashMap<>();
          for (Row r : rows) {
            long sales = r.getLong(1);
            long returned = r.getLong(2);
            if (sales >= MIN_SALES && returned > 0) {
              next.put(r.getInteger(0), (int) ((returned * 20_000 + sales) / (2 * sales))); // half-up
            }
          }
          rates = Map.copyOf(next);
          loaded = true;
          return (Void) null;
        })
        .onFailure(e -> LOG.log(Level.WARNING, "reading buyers' return rates failed; keeping the last ones", e));
  }

  public Map<Integer, Integer> current() {
    return rates;
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }
}
