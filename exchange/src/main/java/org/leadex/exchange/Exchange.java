package org.leadex.exchange;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Logger;
import org.leadex.exchange.admission.AdaptiveLimit;
import org.leadex.exchange.api.AdminRoutes;
import org.leadex.exchange.api.BuyerRoutes;
import org.leadex.exchange.api.FinanceRoutes;
import org.leadex.exchange.api.DashboardRoutes;
import org.leadex.exchange.api.DeliveryRoutes;
import org.leadex.exchange.api.Authenticator;
import org.leadex.exchange.api.HttpEdge;
import org.leadex.exchange.api.OpsRoutes;
import org.leadex.exchange.api.ReturnRoutes;
import org.leadex.exchange.api.SelfServiceRoutes;
import org.leadex.exchange.api.SellerPingView;
import org.leadex.exchange.api.SellerRateLimits;
import org.leadex.exchange.api.SellerRoutes;
import org.leadex.exchange.api.WalletRoutes;
import org.leadex.exchange.api.ReplayRoutes;
import org.leadex.exchange.api.AdapterTestRoutes;
import org.leadex.exchange.adapters.AdapterTrial;
import org.leadex.exchange.replay.ReplayRunner;
import org.leadex.exchange.compliance.ConsentCheck;
import org.leadex.exchange.api.SuppressionRoutes;
import org.leadex.exchange.auction.PingAuction;
import org.leadex.exchange.billing.Wallets;
import org.leadex.exchange.buyers.BidClient;
import org.leadex.exchange.buyers.BuyerEndpoints;
import org.leadex.exchange.buyers.PostClient;
import org.leadex.exchange.catalog.CatalogCache;
import org.leadex.exchange.catalog.CatalogStore;
import org.leadex.exchange.compliance.BuyerDedupe;
import org.leadex.exchange.compliance.ContactScreening;
import org.leadex.exchange.compliance.PiiRetention;
import org.leadex.exchange.compliance.SuppressionStore;
import org.leadex.exchange.compliance.Suppressions;
import org.leadex.exchange.config.ExchangeSettings;
import org.leadex.exchange.delivery.LeadDelivery;
import org.leadex.exchange.delivery.PostService;
import org.leadex.exchange.ledger.AuditLog;
import org.leadex.exchange.leads.PiiSafeLogging;
import org.leadex.exchange.delivery.StuckLeads;
import org.leadex.exchange.delivery.WebhookWorker;
import org.leadex.exchange.ledger.BuyerUsage;
import org.leadex.exchange.ledger.DedupeStore;
import org.leadex.exchange.ledger.DeliveryOutbox;
import org.leadex.exchange.ledger.FeedbackStore;
import org.leadex.exchange.ledger.LeadStore;
import org.leadex.exchange.ledger.PartitionKeeper;
import org.leadex.exchange.ledger.PingRecorder;
import org.leadex.exchange.ledger.PingStore;
import org.leadex.exchange.ledger.ReturnRates;
import org.leadex.exchange.ledger.ReturnStore;
import org.leadex.exchange.ledger.TraceReader;
import org.leadex.exchange.metrics.ExchangeMetrics;
import org.leadex.exchange.metrics.LoopLag;
import org.leadex.exchange.money.Money;
import org.leadex.exchange.postgres.Database;
import org.leadex.exchange.postgres.LocalPostgres;
import org.leadex.exchange.reports.Balances;
import org.leadex.exchange.reports.RevenueReport;
import org.leadex.exchange.reports.Statement;
import org.leadex.exchange.reports.RecentActivity;
import org.leadex.exchange.warmup.Warmup;

/**
 * One running exchange instance: the wiring of every part, start-up in order and a graceful stop.
 * Blocking: {@link #start} and {@link #close} are called from main (or a test), never from an
 * event loop.
 */
public final class Exchange implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(Exchange.class.getName());

  private final ExchangeSettings settings;
  private final LocalPostgres localPostgres;
  private final String databaseUrl;
  private final Vertx vertx;
  private final Pool pool;
  private final CatalogCache catalog;
  private final PartitionKeeper partitions;
  private final PingRecorder recorder;
  private final BuyerEndpoints endpoints;
  private final BuyerUsage usage;
  private final Wallets wallets;
  private final ReturnRates returnRates;
  private final StuckLeads stuckLeads;
  private final PostService posts;
  private volatile int cutDeliveries;
  private final int port;
  private final HttpEdge edge = new HttpEdge();
  private final WebhookWorker webhooks;
  private final long metricsTimer;
  private final long limitTimer;
  private final Optional<Warmup.Report> warmup;
  /** The adaptive limit is judged this often, on the largest event-loop lag of the interval. */
  private static final long LIMIT_INTERVAL_MILLIS = 50;
  /** About one deadline: after a cut, the pings admitted before it must end before its effect shows. */
  private static final long LIMIT_COOLDOWN_MILLIS = 200;
  /** The adaptive limit's floor: about 350 pings/s at the usual 90 ms a ping is in flight. */
  private static final int MIN_PING_LIMIT = 32;
  private final Suppressions suppressions;
  private final PiiRetention piiRetention;

  private Exchange(ExchangeSettings settings) {
    this.settings = settings;
    PiiSafeLogging.install();
    if (settings.databaseUrl().isPresent()) {
      localPostgres = null;
      databaseUrl = settings.databaseUrl().get();
    } else {
      LOG.info("no DATABASE_URL is set: bringing up a local PostgreSQL of the exchange's own under "
          + settings.dataDir().toAbsolutePath().normalize());
      localPostgres = LocalPostgres.start(settings.dataDir(), List.of());
      localPostgres.ensureDatabase("exchange");
      databaseUrl = localPostgres.url("exchange");
    }
    PgConnectOptions connect = Database.options(databaseUrl);
    Database.migrate(connect);

    Clock clock = Clock.systemUTC();
    String instance = UUID.randomUUID().toString().substring(0, 8);
    vertx = Vertx.vertx();
    int poolSize = 16;
    pool = Database.pool(vertx, connect, poolSize);
    CatalogStore store = new CatalogStore(pool);
    catalog = new CatalogCache(vertx, store, connect);
    partitions = new PartitionKeeper(vertx, pool, clock, settings.pingRetentionDays());
    recorder = new PingRecorder(vertx, pool, settings.flushMillis(), 1_000_000);
    ExchangeMetrics metrics = new ExchangeMetrics();
    endpoints = new BuyerEndpoints(vertx, settings.buyers());
    LeadStore leads = new LeadStore(pool);
    usage = new BuyerUsage(vertx, pool, clock);
    PingStore pingStore = new PingStore(pool);
    DedupeStore dedupe = new DedupeStore(pool);
    wallets = new Wallets(vertx, pool);
    SuppressionStore suppressionStore = new SuppressionStore(pool);
    suppressions = new Suppressions(vertx, suppressionStore);
    ContactScreening screening = new ContactScreening(suppressions, new BuyerDedupe(pool), dedupe, clock);
    piiRetention = new PiiRetention(vertx, pool, catalog::current, clock);
    LeadDelivery delivery = new LeadDelivery(vertx, new PostClient(vertx, endpoints), leads, usage, dedupe, metrics,
        clock, instance, settings.leaseMarginMillis(), wallets, screening,
        new ConsentCheck(vertx, endpoints.settings(), clock));
    stuckLeads = new StuckLeads(vertx, leads, pingStore, usage, dedupe, delivery, catalog, clock);
    posts = new PostService(vertx, pingStore, recorder, leads, delivery, stuckLeads, clock);
    Authenticator auth = new Authenticator(catalog, settings.adminKey().orElse(null));
    LoopLag loopLag = new LoopLag();
    returnRates = new ReturnRates(vertx, pool,
        () -> catalog.current().campaigns().values().stream().anyMatch(c -> c.rankByExpectedNet()),
        () -> catalog.current().version());
    AdaptiveLimit pingLimit = new AdaptiveLimit(new AdaptiveLimit.Settings(settings.maxPingsInFlight(),
        Math.min(MIN_PING_LIMIT, settings.maxPingsInFlight()), Math.max(1, settings.overloadLagMillis()), LIMIT_COOLDOWN_MILLIS));
    Function<BidClient, PingAuction> auctionWith = client -> new PingAuction(client, usage, returnRates, clock, wallets);
    SellerRoutes sellerRoutes = new SellerRoutes(auth, catalog, auctionWith.apply(new BidClient(vertx, endpoints, metrics, loopLag)),
        recorder, posts, metrics, clock, settings.maxPingsInFlight(), loopLag, settings.maxLoopLagMillis(),
        new SellerRateLimits(settings.sellerRateLimit().orElse(null)), pingLimit, screening);
    SuppressionRoutes suppressionRoutes = new SuppressionRoutes(vertx, auth, catalog, suppressionStore, suppressions,
        clock);
    AdminRoutes adminRoutes = new AdminRoutes(auth, store, catalog, new TraceReader(pool), recorder, new AuditLog(pool));
    OpsRoutes opsRoutes = new OpsRoutes(pool, catalog, metrics, auth, instance);
    BuyerRoutes buyerRoutes = new BuyerRoutes(auth, catalog, new FeedbackStore(pool));
    FinanceRoutes financeRoutes = new FinanceRoutes(auth, catalog, new RevenueReport(pool), new Statement(pool),
        new Balances(pool));
    ReturnRoutes returnRoutes = new ReturnRoutes(auth, catalog, new ReturnStore(pool), new TraceReader(pool));
    SelfServiceRoutes selfService = new SelfServiceRoutes(auth, catalog, store, usage, new AuditLog(pool), pool, clock, wallets);
    WalletRoutes walletRoutes = new WalletRoutes(auth, catalog, wallets);
    ReplayRoutes replayRoutes = new ReplayRoutes(auth, catalog, new ReplayRunner(connect, loopLag::maxMillis,
        sellerRoutes::pingsInFlight), settings.replayHeartbeatMillis());
    AdapterTestRoutes adapterTests = new AdapterTestRoutes(auth, catalog, new AdapterTrial(vertx));
    SellerPingView sellerPings = new SellerPingView(auth, catalog, new TraceReader(pool), recorder);
    metrics.gauge("exchange_pings_in_flight", "Pings being decided now", sellerRoutes::pingsInFlight);
    metrics.gauge("exchange_ping_records_backlog", "Ping records waiting to be written", recorder::backlog);
    metrics.gauge("exchange_ping_records_dropped", "Ping records dropped after the database stayed down", recorder::dropped);
    metrics.gauge("exchange_db_pool_connections", "Connections the database pool holds open now", pool::size);
    metrics.gauge("exchange_db_pool_max_connections", "The most connections the database pool opens", () -> poolSize);
    metrics.labelledGauge("exchange_buyer_circuit_state", "1 for the state each buyer's circuit is in (closed, open,"
        + " half_open), 0 for the others", List.of("buyer", "state"), out -> endpoints.circuitStates()
        .forEach((buyer, state) -> {
          for (String s : new String[] {"closed", "open", "half_open"}) {
            out.put(state.equals(s) ? 1 : 0, buyer, s);
          }
        }));
    metrics.labelledGauge("exchange_wallet_low", "1 for a prepaid buyer whose wallet balance is below its"
        + " low_balance_alert, 0 for the other prepaid buyers", List.of("buyer"), out -> catalog.current().buyers()
        .values().forEach(buyer -> {
          Money balance = wallets.balanceSeen(buyer);
          if (balance != null) {
            out.put(balance.compareTo(buyer.billing().lowBalanceAlert()) < 0 ? 1 : 0, buyer.code());
          }
        }));
    DeliveryOutbox outbox = new DeliveryOutbox(pool);
    webhooks = new WebhookWorker(vertx, outbox, metrics, settings.deliveryRetryMillis(),
        due -> crmResponseRules(catalog.current(), due));
    DeliveryRoutes deliveryRoutes = new DeliveryRoutes(auth, outbox, catalog);
    DashboardRoutes dashboardRoutes = new DashboardRoutes(auth, catalog, metrics, endpoints::circuitStates,
        new RecentActivity(pool), recorder, instance);

    catalog.onChange(c -> endpoints.prepare(c.buyers().values()));
    catalog.onChange(c -> suppressions.refresh()); // an upload on any instance bumps the catalog version
    await(catalog.start());
    await(suppressions.start());
    await(partitions.start());
    await(usage.start());
    await(wallets.start());
    recorder.start();
    returnRates.start();
    stuckLeads.start();
    webhooks.start();
    piiRetention.start();
    metricsTimer = vertx.setPeriodic(1_000, id -> metrics.tick());
    limitTimer = settings.overloadLagMillis() == 0 ? -1 : vertx.setPeriodic(LIMIT_INTERVAL_MILLIS,
        id -> pingLimit.adjust(loopLag.takeWindowMaxMillis(), sellerRoutes.pingsInFlight(), System.nanoTime()));
    metrics.gauge("exchange_ping_limit", "Pings the adaptive limit lets be in flight now", pingLimit::current);

    port = settings.port() == 0 ? freePort() : settings.port();
    List<Consumer<Router>> routes = List.of(opsRoutes::mount, adminRoutes::mount, sellerRoutes::mount,
        buyerRoutes::mount, financeRoutes::mount, returnRoutes::mount, selfService::mount, sellerPings::mount,
        deliveryRoutes::mount, dashboardRoutes::mount, walletRoutes::mount, suppressionRoutes::mount,
        replayRoutes::mount, adapterTests::mount);
    int instances = settings.effectiveEventLoops();
    await(edge.start(vertx, port, instances, routes, loopLag));
    metrics.gauge("exchange_event_loop_lag_seconds", "The largest lag of the HTTP event loops",
        () -> loopLag.maxMillis() / 1000.0);
    warmup = settings.warmup() ? Optional.of(Warmup.run(vertx, port, settings.buyers(), auctionWith)) : Optional.empty();
    opsRoutes.markReady();
    LOG.info("exchange ready on port " + port + " (instance " + instance + ", " + instances + " event loops, database "
        + (localPostgres == null ? "from DATABASE_URL" : "local PostgreSQL on 127.0.0.1:" + localPostgres.port()) + ")");
  }

  /** Starts an exchange and returns once it takes traffic. */
  public static Exchange start(ExchangeSettings settings) {
    return new Exchange(settings);
  }

  public int port() {
    return port;
  }

  /** What the warm-up did before this exchange said ready (empty when it was started without one). */
  public Optional<Warmup.Report> warmup() {
    return warmup;
  }

  public String databaseUrl() {
    return databaseUrl;
  }

  public ExchangeSettings settings() {
    return settings;
  }

  /** The PII retention job (a test runs a sweep now rather than wait for the hourly one). */
  public PiiRetention piiRetention() {
    return piiRetention;
  }

  /** After {@link #close}: how many lead deliveries were still running when the drain bound ran out. */
  public int cutDeliveries() {
    return cutDeliveries;
  }

  /** Stops taking requests, lets in-flight ones finish, writes what is buffered, and stops. */
  @Override
  public void close() {
    stuckLeads.stop();
    piiRetention.stop();
    tryAwait(edge.shutdown(settings.drainSeconds()));
    // posts still delivering past the drain bound are cut; their leases expire and another instance
    // (or this one, restarted) resolves their leads
    cutDeliveries = posts.deliveriesInFlight();
    tryAwait(recorder.close());
    vertx.cancelTimer(metricsTimer);
    vertx.cancelTimer(limitTimer);
    tryAwait(webhooks.close());
    partitions.stop();
    usage.stop();
    wallets.stop();
    returnRates.stop();
    tryAwait(catalog.close());
    endpoints.close();
    tryAwait(pool.close());
    tryAwait(vertx.close());
    if (localPostgres != null) {
      localPostgres.close();
    }
    LOG.info("exchange stopped");
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("start-up failed: " + e.getCause().getMessage(), e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException("start-up failed: " + e, e);
    }
  }

  private void tryAwait(Future<?> future) {
    try {
      future.toCompletionStage().toCompletableFuture().get(settings.drainSeconds() + 30L, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warning("during shutdown: " + e);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The response rules of a CRM delivery's buyer as configured now (a notice has none). */
  private static Optional<org.leadex.exchange.adapters.ResponseRules> crmResponseRules(
      org.leadex.exchange.catalog.Catalog catalog, DeliveryOutbox.Due due) {
    if (!"crm".equals(due.kind())) {
      return Optional.empty();
    }
    return Optional.ofNullable(catalog.buyersById().get(due.buyerId()))
        .flatMap(org.leadex.exchange.catalog.Buyer::crm)
        .flatMap(org.leadex.exchange.catalog.Webhook::response);
  }
}
