package org.leadex.exchange.config;

import java.nio.file.Path;
import java.util.Optional;
import org.leadex.exchange.buyers.BuyerClientSettings;
import org.leadex.exchange.catalog.RateLimit;

/**
 * Everything the exchange is started with, from flags and the environment; validated once at
 * start, so a wrong setting stops the process with a clear message instead of failing later.
 *
 * @param port               HTTP port (0 picks a free one: tests)
 * @param databaseUrl        {@code postgresql://user:password@host:port/db}; empty: a local PostgreSQL under dataDir
 * @param adminKey           the bootstrap admin key (EXCHANGE_ADMIN_KEY), at least 16 characters
 * @param dataDir            where the local PostgreSQL lives when there is no databaseUrl
 * @param pingRetentionDays  days of pings and bid outcomes kept before their day partitions are dropped
 * @param flushMillis        how often batched ping records are written
 * @param maxPingsInFlight   pings beyond this are shed with 503 overloaded
 * @param eventLoops         HTTP server instances (event loops); 0 means one per core
 * @param drainSeconds       on SIGTERM, how long in-flight requests may take to finish
 * @param buyers             how buyers are called
 * @param warmup             exercise the hot path before saying ready (off in tests, which start many exchanges)
 * @param maxLoopLagMillis   pings arriving on an event loop running later than this are shed with 503
 * @param sellerRateLimit    requests a second (and burst) per seller per instance for sellers without a
 *                           {@code rate_limit} of their own; empty: no default limit
 * @param leaseMarginMillis  how long a lead's delivery lease outlives the post it covers; an instance that
 *                           dies mid-delivery leaves its lead to be resolved by another this long after
 *                           the post's timeout
 * @param deliveryRetryMillis the first retry delay of a failed webhook delivery (doubling after each failure)
 * @param overloadLagMillis  the event-loop lag the adaptive in-flight limit keeps pings under (0: no
 *                           adaptive limit, only {@code maxPingsInFlight})
 * @param replayHeartbeatMillis while a what-if replay runs, its answer sends a space this often (JSON
 *                           allows leading whitespace), so that the server's 120 s idle timeout and
 *                           proxies' do not cut a long replay's connection
 */
public record ExchangeSettings(int port, Optional<String> databaseUrl, Optional<String> adminKey, Path dataDir,
                               int pingRetentionDays, int flushMillis, int maxPingsInFlight, int eventLoops,
                               int drainSeconds, BuyerClientSettings buyers, boolean warmup,
                               long maxLoopLagMillis, Optional<RateLimit> sellerRateLimit, long leaseMarginMillis,
                               long deliveryRetryMillis, long overloadLagMillis, long replayHeartbeatMillis) {

  /** A replay's answer sends a space this often while it runs: a long replay outlives idle timeouts. */
  public static final long DEFAULT_REPLAY_HEARTBEAT_MILLIS = 30_000;

  /** As before replay heartbeats: the default heartbeat. */
  public ExchangeSettings(int port, Optional<String> databaseUrl, Optional<String> adminKey, Path dataDir,
                          int pingRetentionDays, int flushMillis, int maxPingsInFlight, int eventLoops,
                          int drainSeconds, BuyerClientSettings buyers, boolean warmup,
                          long maxLoopLagMillis, Optional<RateLimit> sellerRateLimit, long leaseMarginMillis,
                          long deliveryRetryMillis, long overloadLagMillis) {
    this(port, databaseUrl, adminKey, dataDir, pingRetentionDays, flushMillis, maxPingsInFlight, eventLoops,
        drainSeconds, buyers, warmup, maxLoopLagMillis, sellerRateLimit, leaseMarginMillis, deliveryRetryMillis,
        overloadLagMillis, DEFAULT_REPLAY_HEARTBEAT_MILLIS);
  }

  public ExchangeSettings {
    require(port >= 0 && port <= 65535, "EXCHANGE_PORT must be between 0 and 65535, not " + port);
    databaseUrl.ifPresent(url -> require(url.startsWith("postgresql://") || url.startsWith("postgres://"),
        "DATABASE_URL must look like postgresql://user:password@host:port/db"));
    adminKey.ifPresent(key -> require(key.length() >= 16 && key.length() <= 256,
        "EXCHANGE_ADMIN_KEY must be 16 to 256 characters long"));
    require(pingRetentionDays >= 1 && pingRetentionDays <= 3650, "ping retention must be 1 to 3650 days");
    require(flushMillis >= 1 && flushMillis <= 10_000, "flush interval must be 1 to 10000 ms");
    require(maxPingsInFlight >= 1, "max pings in flight must be at least 1");
    require(eventLoops >= 0 && eventLoops <= 256, "event loops must be 0 to 256");
    require(drainSeconds >= 0 && drainSeconds <= 600, "drain time must be 0 to 600 s");
    require(maxLoopLagMillis >= 1, "the event-loop lag limit must be at least 1 ms");
    require(leaseMarginMillis >= 500 && leaseMarginMillis <= 600_000, "the lease margin must be 500 to 600000 ms");
    require(replayHeartbeatMillis >= 1 && replayHeartbeatMillis <= 110_000,
        "the replay heartbeat must be 1 to 110000 ms (under the server's 120 s idle timeout)");
    require(deliveryRetryMillis >= 1 && deliveryRetryMillis <= 600_000, "the delivery retry delay must be 1 to 600000 ms");
    require(overloadLagMillis >= 0 && overloadLagMillis <= maxLoopLagMillis,
        "the overload lag target must be 0 (off) to the event-loop lag limit (" + maxLoopLagMillis + " ms)");
  }

  /**
   * An abuse limit, not a business one: well above what one instance can serve (about 1,000 pings/s
   * on two cores), so that only a runaway client meets it; tighter limits are set per seller.
   */
  public static final RateLimit DEFAULT_SELLER_RATE_LIMIT = new RateLimit(5_000, 10_000);

  /** Defaults for everything but port, database and admin key. */
  public static ExchangeSettings defaults(int port, Optional<String> databaseUrl, Optional<String> adminKey) {
    return new ExchangeSettings(port, databaseUrl, adminKey, Path.of("data"), 30, 20, 5_000, 0, 10,
        BuyerClientSettings.DEFAULTS, true, 50, Optional.of(DEFAULT_SELLER_RATE_LIMIT), 10_000, 1_000, 20);
  }

  /** These settings with another in-flight bound (tests of admission). */
  public ExchangeSettings withMaxPingsInFlight(int max) {
    return new ExchangeSettings(port, databaseUrl, adminKey, dataDir, pingRetentionDays, flushMillis, max, eventLoops,
        drainSeconds, buyers, warmup, maxLoopLagMillis, sellerRateLimit, leaseMarginMillis,
        deliveryRetryMillis, overloadLagMillis, replayHeartbeatMillis);
  }

  /** These settings with another interval between ping batches (tests of the batch). */
  public ExchangeSettings withFlushMillis(int millis) {
    return new ExchangeSettings(port, databaseUrl, adminKey, dataDir, pingRetentionDays, millis, maxPingsInFlight,
        eventLoops, drainSeconds, buyers, warmup, maxLoopLagMillis, sellerRateLimit, leaseMarginMillis,
        deliveryRetryMillis, overloadLagMillis, replayHeartbeatMillis);
  }

  /** These settings with another replay heartbeat (tests of long replays). */
  public ExchangeSettings withReplayHeartbeat(long millis) {
    return new ExchangeSettings(port, databaseUrl, adminKey, dataDir, pingRetentionDays, flushMillis, maxPingsInFlight,
        eventLoops, drainSeconds, buyers, warmup, maxLoopLagMillis, sellerRateLimit, leaseMarginMillis,
        deliveryRetryMillis, overloadLagMillis, millis);
  }

  /** These settings on another port, with or without the warm-up (tests of start-up). */
  public ExchangeSettings withStartup(int otherPort, boolean withWarmup) {
    return new ExchangeSettings(otherPort, databaseUrl, adminKey, dataDir, pingRetentionDays, flushMillis,
        maxPingsInFlight, eventLoops, drainSeconds, buyers, withWarmup, maxLoopLagMillis, sellerRateLimit, leaseMarginMillis,
        deliveryRetryMillis, overloadLagMillis, replayHeartbeatMillis);
  }

  public int effectiveEventLoops() {
    return eventLoops > 0 ? eventLoops : Runtime.getRuntime().availableProcessors();
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
