package org.leadex.exchange.postgres;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import org.flywaydb.core.Flyway;

/**
 * The exchange's database: applies the versioned migrations (Flyway, over JDBC, once at start and
 * blocking, before any event loop serves traffic) and opens the non-blocking pool the exchange
 * uses from then on.
 */
public final class Database {
  private Database() {}

  public static PgConnectOptions options(String url) {
    String normalized = url.startsWith("postgres://") ? "postgresql://" + url.substring("postgres://".length()) : url;
    PgConnectOptions options = PgConnectOptions.fromUri(normalized);
    options.setCachePreparedStatements(true).setPipeliningLimit(256);
    return options;
  }

  /** Brings the schema up to date. Blocking. */
  public static void migrate(PgConnectOptions options) {
    String jdbc = "jdbc:postgresql://" + options.getHost() + ":" + options.getPort() + "/" + options.getDatabase();
    Flyway.configure()
        .dataSource(jdbc, options.getUser(), options.getPassword())
        .locations("classpath:db/migration")
        .load()
        .migrate();
  }

  public static Pool pool(Vertx vertx, PgConnectOptions options, int size) {
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(size).setShared(false).setName("exchange"))
        .connectingTo(options)
        .using(vertx)
        .build();
  }
}
