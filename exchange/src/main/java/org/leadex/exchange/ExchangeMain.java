package org.leadex.exchange;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.leadex.exchange.buyers.BuyerClientSettings;
import org.leadex.exchange.config.ExchangeSettings;
import org.leadex.exchange.logs.LogFormat;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code java -jar exchange.jar}: reads settings from flags and the environment, starts, runs until SIGTERM. */
@Command(name = "exchange", mixinStandardHelpOptions = true, version = "exchange 0.1.0",
    subcommands = {org.leadex.exchange.adapters.AdapterCertifyCommand.class},
    description = "A real-time ping-post lead exchange. Every flag can also be set by the environment variable in"
        + " brackets.", sortOptions = false)
public final class ExchangeMain implements Callable<Integer> {

  @Option(names = "--port", defaultValue = "${env:EXCHANGE_PORT:-8080}", description = "HTTP port [EXCHANGE_PORT] (default: ${DEFAULT-VALUE})")
  int port;

  @Option(names = "--database-url", defaultValue = "${env:DATABASE_URL}",
      description = "postgresql://user:password@host:port/db [DATABASE_URL]; when absent the exchange brings up a"
          + " local PostgreSQL of its own under --data-dir")
  String databaseUrl;

  @Option(names = "--admin-key", defaultValue = "${env:EXCHANGE_ADMIN_KEY}",
      description = "bootstrap admin API key, 16+ characters [EXCHANGE_ADMIN_KEY]")
  String adminKey;

  @Option(names = "--data-dir", defaultValue = "${env:EXCHANGE_DATA_DIR:-data}",
      description = "directory of the local PostgreSQL [EXCHANGE_DATA_DIR] (default: ${DEFAULT-VALUE})")
  Path dataDir;

  @Option(names = "--ping-retention-days", defaultValue = "${env:EXCHANGE_PING_RETENTION_DAYS:-30}",
      description = "days of pings and bid outcomes kept [EXCHANGE_PING_RETENTION_DAYS] (default: ${DEFAULT-VALUE})")
  int pingRetentionDays;

  @Option(names = "--flush-ms", defaultValue = "${env:EXCHANGE_FLUSH_MS:-20}",
      description = "how often ping records are written in a batch [EXCHANGE_FLUSH_MS] (default: ${DEFAULT-VALUE})")
  int flushMillis;

  @Option(names = "--max-pings-in-flight", defaultValue = "${env:EXCHANGE_MAX_PINGS_IN_FLIGHT:-5000}",
      description = "pings beyond this answer 503 overloaded [EXCHANGE_MAX_PINGS_IN_FLIGHT] (default: ${DEFAULT-VALUE})")
  int maxPingsInFlight;

  @Option(names = "--event-loops", defaultValue = "${env:EXCHANGE_EVENT_LOOPS:-0}",
      description = "HTTP event loops, 0 = one per core [EXCHANGE_EVENT_LOOPS] (default: ${DEFAULT-VALUE})")
  int eventLoops;

  @Option(names = "--drain-seconds", defaultValue = "${env:EXCHANGE_DRAIN_SECONDS:-10}",
      description = "on SIGTERM, time in-flight requests get to finish [EXCHANGE_DRAIN_SECONDS] (default: ${DEFAULT-VALUE})")
  int drainSeconds;

  @Option(names = "--buyer-pool-size", defaultValue = "${env:EXCHANGE_BUYER_POOL_SIZE:-128}",
      description = "keep-alive connections and calls in flight per buyer [EXCHANGE_BUYER_POOL_SIZE] (default: ${DEFAULT-VALUE})")
  int buyerPoolSize;

  @Option(names = "--buyer-silent-close-ms", defaultValue = "${env:EXCHANGE_BUYER_SILENT_CLOSE_MS:-1000}",
      description = "a bid call still unanswered this long after its deadline is reset (until then a late answer"
          + " may still arrive on its keep-alive connection) [EXCHANGE_BUYER_SILENT_CLOSE_MS] (default: ${DEFAULT-VALUE})")
  int buyerSilentCloseMillis;

  @Option(names = "--buyer-resets-per-second", defaultValue = "${env:EXCHANGE_BUYER_RESETS_PER_SECOND:-25}",
      description = "silent bid calls reset per buyer per second at most; the rest stay open until they end or the budget"
          + " allows, which bounds reconnects to a buyer [EXCHANGE_BUYER_RESETS_PER_SECOND] (default: ${DEFAULT-VALUE})")
  int buyerResetsPerSecond;

  @Option(names = "--buyer-connects-per-second", defaultValue = "${env:EXCHANGE_BUYER_CONNECTS_PER_SECOND:-50}",
      description = "new bid connections per buyer per second at most; a call that would need one more is an error at"
          + " once [EXCHANGE_BUYER_CONNECTS_PER_SECOND] (default: ${DEFAULT-VALUE})")
  int buyerConnectsPerSecond;

  @Option(names = "--max-loop-lag-ms", defaultValue = "${env:EXCHANGE_MAX_LOOP_LAG_MS:-50}",
      description = "pings arriving while their event loop runs this late answer 503 overloaded"
          + " [EXCHANGE_MAX_LOOP_LAG_MS] (default: ${DEFAULT-VALUE})")
  long maxLoopLagMillis;

  @Option(names = "--overload-lag-ms", defaultValue = "${env:EXCHANGE_OVERLOAD_LAG_MS:-20}",
      description = "the event-loop lag the adaptive in-flight limit keeps pings under: past it, fewer pings are"
          + " admitted and the rest answer 503 at once; 0 turns the adaptive limit off"
          + " [EXCHANGE_OVERLOAD_LAG_MS] (default: ${DEFAULT-VALUE})")
  long overloadLagMillis;

  @Option(names = "--replay-heartbeat-ms", defaultValue = "${env:EXCHANGE_REPLAY_HEARTBEAT_MS:-30000}",
      description = "a running what-if replay's answer sends a space this often, so that idle timeouts do not cut"
          + " a long replay [EXCHANGE_REPLAY_HEARTBEAT_MS] (default: ${DEFAULT-VALUE})")
  long replayHeartbeatMillis;

  @Option(names = "--seller-rate-limit", defaultValue = "${env:EXCHANGE_SELLER_RATE_LIMIT:-5000/10000}",
      description = "requests a second per seller per instance, N or N/BURST, for sellers without a rate_limit of"
          + " their own; 0 for none [EXCHANGE_SELLER_RATE_LIMIT] (default: ${DEFAULT-VALUE})")
  String sellerRateLimit;

  @Option(names = "--lease-margin-ms", defaultValue = "${env:EXCHANGE_LEASE_MARGIN_MS:-10000}",
      description = "a lead being delivered is leased to its instance for each post's timeout plus this; if the"
          + " instance dies, another resolves the lead once the lease expires [EXCHANGE_LEASE_MARGIN_MS]"
          + " (default: ${DEFAULT-VALUE})")
  long leaseMarginMillis;

  @Option(names = "--delivery-retry-ms", defaultValue = "${env:EXCHANGE_DELIVERY_RETRY_MS:-1000}",
      description = "first retry delay of a failed CRM or notification webhook, doubled after each failure"
          + " [EXCHANGE_DELIVERY_RETRY_MS] (default: ${DEFAULT-VALUE})")
  long deliveryRetryMillis;

  @Option(names = "--log-format", defaultValue = "${env:EXCHANGE_LOG_FORMAT:-text}",
      description = "text (for people) or json (one object per line, for log collectors) [EXCHANGE_LOG_FORMAT]"
          + " (default: ${DEFAULT-VALUE})")
  String logFormat;

  @Option(names = "--no-warmup", description = "say ready without first warming the hot path (about 2 s)")
  boolean noWarmup;

  public static void main(String[] args) {
    System.exit(new CommandLine(new ExchangeMain()).execute(args));
  }

  @Override
  public Integer call() throws InterruptedException {
    ExchangeSettings settings;
    try {
      LogFormat.valueOf(logFormat.toUpperCase(java.util.Locale.ROOT)).install();
    } catch (IllegalArgumentException e) {
      System.err.println("exchange: --log-format must be text or json, not '" + logFormat + "'");
      return 2;
    }
    try {
      BuyerClientSettings d = BuyerClientSettings.DEFAULTS;
      settings = new ExchangeSettings(port, blankToEmpty(databaseUrl), blankToEmpty(adminKey), dataDir,
          pingRetentionDays, flushMillis, maxPingsInFlight, eventLoops, drainSeconds,
          new BuyerClientSettings(buyerPoolSize, d.maxAnswerBytes(), buyerSilentCloseMillis, d.circuitOpenMillis(),
              d.circuitWindow(), buyerResetsPerSecond, buyerConnectsPerSecond), !noWarmup, maxLoopLagMillis,
          Optional.ofNullable(org.leadex.exchange.catalog.RateLimit.parse(sellerRateLimit)), leaseMarginMillis,
          deliveryRetryMillis, overloadLagMillis, replayHeartbeatMillis);
    } catch (IllegalArgumentException e) {
      System.err.println("exchange: " + e.getMessage());
      return 2;
    }
    if (settings.adminKey().isEmpty()) {
      System.err.println("exchange: warning: EXCHANGE_ADMIN_KEY is not set; only admin keys already stored in the"
          + " database can use the admin API");
    }
    Exchange exchange;
    try {
      exchange = Exchange.start(settings);
    } catch (RuntimeException e) {
      System.err.println("exchange: could not start: " + e.getMessage());
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.err.println("exchange: stopping (SIGTERM): draining in-flight requests for up to "
          + settings.drainSeconds() + " s");
      exchange.close();
      // java.util.logging may already be shut down by its own hook: say it plainly.
      if (exchange.cutDeliveries() > 0) {
        System.err.println("exchange: stopped; " + exchange.cutDeliveries() + " lead deliveries outlasted the drain"
            + " bound and were cut: another instance (or this one, restarted) resolves them when their leases expire");
      } else {
        System.err.println("exchange: stopped cleanly");
      }
      stopped.countDown();
    }, "shutdown"));
    stopped.await();
    return 0;
  }

  private static Optional<String> blankToEmpty(String value) {
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
  }
}
