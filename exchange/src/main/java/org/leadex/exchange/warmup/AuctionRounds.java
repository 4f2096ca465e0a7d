package org.leadex.exchange.warmup;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.leadex.exchange.api.PingAnswer;
import org.leadex.exchange.auction.Deadline;
import org.leadex.exchange.auction.PingAuction;
import org.leadex.exchange.auction.PingRequest;
import org.leadex.exchange.auction.PingResult;
import org.leadex.exchange.buyers.BidClient;
import org.leadex.exchange.buyers.BuyerClientSettings;
import org.leadex.exchange.buyers.BuyerEndpoints;
import org.leadex.exchange.catalog.Buyer;
import org.leadex.exchange.catalog.Campaign;
import org.leadex.exchange.catalog.Catalog;
import org.leadex.exchange.catalog.Payout;
import org.leadex.exchange.catalog.Seller;
import org.leadex.exchange.json.DocReader;
import org.leadex.exchange.json.Json;
import org.leadex.exchange.leads.Contacts;
import org.leadex.exchange.leads.LeadValidator;
import org.leadex.exchange.ledger.RecordIds;
import org.leadex.exchange.metrics.ExchangeMetrics;
import org.leadex.exchange.metrics.LoopLag;

/**
 * Whole auctions on a synthetic campaign: each round reads a seller's ping body, validates it,
 * fans it out through the real {@link BidClient} to {@link StubBuyers} on loopback under a real
 * deadline, decides it and writes the seller's answer and the ping's record — everything a live
 * ping does but the key check and the database write. Its buyers, their HTTP clients and circuit
 * breakers and its metrics are its own and are dropped afterwards, so nothing of the warm-up shows
 * in the catalog, /metrics or the ledger. Pings are marked test: no cap or counter is touched.
 */
final class AuctionRounds implements AutoCloseable {
  private static final int PING_TIMEOUT_MS = 150;
  private final Vertx vertx;
  private final StubBuyers stubs;
  private final BuyerEndpoints endpoints;
  private final PingAuction auction;
  private final Catalog catalog;
  private final Seller seller;
  private final Campaign campaign;

  private AuctionRounds(Vertx vertx, StubBuyers stubs, BuyerEndpoints endpoints, PingAuction auction) {
    this.vertx = vertx;
    this.stubs = stubs;
    this.endpoints = endpoints;
    this.auction = auction;
    this.seller = new Seller(-1, "warm-up", "warm-up", new Payout.RevenueShare(BigDecimal.valueOf(80)));
    Map<String, Buyer> buyers = new LinkedHashMap<>();
    Map<Integer, Buyer> buyersById = new LinkedHashMap<>();
    StringBuilder codes = new StringBuilder();
    for (int i = 0; i < StubBuyers.COUNT; i++) {
      Buyer buyer = new Buyer(-1 - i, "warm-up-" + i, "warm-up " + i, Optional.of(URI.create(stubs.bidUrl(i))),
          URI.create(stubs.bidUrl(i)), Optional.empty(), 100, List.of(), 0, true);
      buyers.put(buyer.code(), buyer);
      buyersById.put(buyer.id(), buyer);
      codes.append(i == 0 ? "" : ",").append('"').append(buyer.code()).append('"');
    }
    this.campaign = Campaign.read(-1, "warm-up", DocReader.of(Json.parse(
        "{\"vertical\":\"warm-up\",\"ping_timeout_ms\":" + PING_TIMEOUT_MS + ","
            + "\"fields\":{\"zip\":{\"type\":\"string\",\"pattern\":\"^[0-9]{5}$\",\"required\":true},"
            + "\"state\":{\"type\":\"string\",\"pattern\":\"^[A-Z]{2}$\"},"
            + "\"age\":{\"type\":\"integer\",\"min\":18,\"max\":120}},\"pii_fields\":[\"email\"],"
            + "\"auction\":\"second_price\",\"tiers\":[{\"mode\":\"auction\",\"buyers\":[" + codes + "]}]}"), ""));
    this.catalog = new Catalog(0, Map.of(seller.code(), seller), buyers, buyersById,
        Map.of(campaign.code(), campaign), Map.of(campaign.id(), campaign), Map.of());
    endpoints.prepare(buyers.values());
  }

  /**
   * Blocking: starts the stub buyers.
   *
   * @param auctionWith builds a ping auction on the given bid client the way the exchange builds its own
   */
  static AuctionRounds start(Vertx vertx, BuyerClientSettings settings, Function<BidClient, PingAuction> auctionWith)
      throws Exception {
    StubBuyers stubs = StubBuyers.start(vertx);
    BuyerEndpoints endpoints = new BuyerEndpoints(vertx, settings);
    return new AuctionRounds(vertx, stubs, endpoints, auctionWith.apply(new BidClient(vertx, endpoints, new ExchangeMetrics(), new LoopLag())));
  }

  /** Blocking: runs up to {@code count} pings, {@code parallel} at a time, until done or {@code untilNanos}; returns how many ran. */
  int run(int count, int parallel, long untilNanos) throws Exception {
    CompletableFuture<Integer> done = new CompletableFuture<>();
    Context context = vertx.getOrCreateContext();
    AtomicInteger started = new AtomicInteger();
    AtomicInteger finished = new AtomicInteger();
    context.runOnContext(v -> {
      for (int i = 0; i < parallel; i++) {
        next(context, count, untilNanos, started, finished, done);
      }
    });
    return done.get(Math.max(1, (untilNanos - System.nanoTime()) / 1_000_000) + 5_000,
        java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  private void next(Context context, int count, long untilNanos, AtomicInteger started, AtomicInteger finished,
                    CompletableFuture<Integer> done) {
    if (started.get() >= count || System.nanoTime() >= untilNanos) {
      if (finished.get() == started.get()) {
        done.complete(finished.get());
      }
      return;
    }
    int n = started.incrementAndGet();
    Future<?> ping;
    try {
      ping = ping(n);
    } catch (Exception e) {
      ping = Future.failedFuture(e);
    }
    ping.onComplete(ar -> {
      finished.incrementAndGet();
      // The next ping runs as a new task, not inside this one: a ping whose every call ends before it
      // is sent (circuit open, silent buyer) completes at once, and calling on from here would then
      // recurse until the stack overflows.
      context.runOnContext(v -> next(context, count, untilNanos, started, finished, done));
    });
  }

  /** One ping, from the seller's body to the seller's answer. */
  private Future<byte[]> ping(int n) throws Exception {
    long arrived = System.nanoTime();
    String[] states = {"CA", "TX", "NY"};
    byte[] sellerBody = ("{\"campaign\":\"warm-up\",\"source\":\"s" + (n % 7) + "\",\"lead\":{\"zip\":\""
        + (10_000 + n % 89_999) + "\",\"state\":\"" + states[n % 3] + "\",\"age\":" + (18 + n % 80) + "}}")
        .getBytes(StandardCharsets.UTF_8);
    DocReader body = DocReader.of(Json.parse(sellerBody), "");
    String campaignCode = body.string("campaign", 64);
    String source = body.optString("source", 128).orElse("");
    var lead = body.raw("lead");
    body.done();
    ObjectNode fields = LeadValidator.forPing(catalog.campaign(campaignCode).orElseThrow(), lead);
    long now = System.currentTimeMillis();
    PingRequest request = new PingRequest(RecordIds.newId(now), Instant.ofEpochMilli(now), catalog, seller, campaign,
        source, true, false, fields, Deadline.of(arrived, PING_TIMEOUT_MS), null, Contacts.NONE);
    return auction.run(request).map(result -> answer(result, arrived));
  }

  /** What the seller route does with a decided ping, but for the database write and the network. */
  private static byte[] answer(PingResult result, long arrived) {
    result.record((System.nanoTime() - arrived) / 1_000); // what the recorder is handed (not written here)
    return Json.bytes(PingAnswer.of(result));
  }

  @Override
  public void close() throws Exception {
    endpoints.close();
    stubs.close();
  }
}
