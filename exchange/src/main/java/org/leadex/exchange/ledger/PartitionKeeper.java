package org.leadex.exchange.ledger;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the day partitions of the time-series tables (pings, bids): creates them ahead (yesterday
 * through three days from now, so a ping never finds its day missing) and drops whole days older
 * than the retention setting, which costs nothing like deleting 860 M rows would. Runs at start and
 * every hour, under an advisory lock so that several instances do not race on DDL. Thread safe.
 */
public final class PartitionKeeper {
  private static final Logger LOG = Logger.getLogger(PartitionKeeper.class.getName());
  private static final List<String> TABLES = List.of("pings", "bids");
  private static final DateTimeFormatter SUFFIX = DateTimeFormatter.ofPattern("yyyyMMdd");
  private static final long LOCK_KEY = 0x6c65616465784c4bL; // any constant unique to this job

  private final Vertx vertx;
  private final Pool pool;
  private final Clock clock;
  private final int retentionDays;
  private long timer = -1;

  public PartitionKeeper(Vertx vertx, Pool pool, Clock clock, int retentionDays) {
    this.vertx = vertx;
    this.pool = pool;
    this.clock = clock;
    this.retentionDays = retentionDays;
  }

  public Future<Void> start() {
    return maintain().onSuccess(v -> timer = vertx.setPeriodic(3_600_000L, id -> maintain()
        .onFailure(e -> LOG.log(Level.WARNING, "partition maintenance failed", e))));
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /** Creates the coming days' partitions and drops expired ones. */
  public Future<Void> maintain() {
    LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
    return pool.withTransaction(conn -> conn.query("select pg_advisory_xact_lock(" + LOCK_KEY + ")").execute()
        .compose(v -> create(conn, today))
        .compose(v -> dropExpired(conn, today.minusDays(retentionDays))));
  }

  private static Future<Void> create(SqlConnection conn, LocalDate today) {
    Future<Void> chain = Future.succeededFuture();
    for (String table : TABLES) {
      for (int d = -1; d <= 3; d++) {
        LocalDate day = today.plusDays(d);
        String sql = "create table if not exists " + table + "_p" + day.format(SUFFIX) + " partition of " + table
            + " for values from ('" + day + " 00:00:00+00') to ('" + day.plusDays(1) + " 00:00:00+00')";
        chain = chain.compose(v -> conn.query(sql).execute().mapEmpty());
      }
    }
    return chain;
  }

  private static Future<Void> dropExpired(SqlConnection conn, LocalDate oldestKept) {
    return conn.query("select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid"
            + " join pg_class p on p.oid = i.inhparent where p.relname in ('pings', 'bids')").execute()
        .compose(rows -> {
          List<String> expired = new ArrayList<>();
          rows.forEach(r -> {
            String name = r.getString(0);
            String suffix = name.substring(name.lastIndexOf("_p") + 2);
            if (suffix.matches("\\d{8}") && LocalDate.parse(suffix, SUFFIX).isBefore(oldestKept)) {
              expired.add(name);
            }
          });
          Future<Void> chain = Future.succeededFuture();
          for (String name : expired) {
            chain = chain.compose(v -> conn.query("drop table " + name).execute().mapEmpty());
            LOG.info("dropping expired partition " + name);
          }
          return chain;
        });
  }
}
