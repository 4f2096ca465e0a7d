package org.leadex.exchange.support;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.leadex.exchange.postgres.LocalPostgres;

/**
 * One real PostgreSQL for the whole test JVM, brought up by the same code the exchange uses when it
 * has no DATABASE_URL (under target/, durability off for speed), and a fresh database per scenario.
 * Set TEST_DATABASE_URL_BASE (postgresql://user:pw@host:port) to use a server of your own instead.
 */
public final class TestDatabase {
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static LocalPostgres server;

  private TestDatabase() {}

  /** A new, empty database; returns its URL. */
  public static synchronized String fresh(String name) {
    if (server == null) {
      server = LocalPostgres.start(Path.of("target", "test-pg"),
          List.of("fsync=off", "synchronous_commit=off", "full_page_writes=off", "max_connections=300"));
      Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    }
    String database = "t_" + name.toLowerCase().replaceAll("[^a-z0-9]", "_") + "_" + COUNTER.incrementAndGet()
        + "_" + ProcessHandle.current().pid();
    server.dropDatabase(database);
    server.ensureDatabase(database);
    return server.url(database);
  }
}
