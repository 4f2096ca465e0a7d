package org.leadex.exchange.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.leadex.exchange.admission.AdaptiveLimit;
import org.leadex.exchange.auction.Deadline;
import org.leadex.exchange.auction.PingAuction;
import org.leadex.exchange.auction.PingRequest;
import org.leadex.exchange.auction.PingResult;
import org.leadex.exchange.catalog.Campaign;
import org.leadex.exchange.catalog.Catalog;
import org.leadex.exchange.catalog.CatalogCache;
import org.leadex.exchange.catalog.Principal;
import org.leadex.exchange.catalog.Role;
import org.leadex.exchange.catalog.Seller;
import org.leadex.exchange.compliance.ContactHashes;
import org.leadex.exchange.compliance.ContactScreening;
import org.leadex.exchange.delivery.ClaimedLead;
import org.leadex.exchange.delivery.PostService;
import org.leadex.exchange.json.DocReader;
import org.leadex.exchange.json.Json;
import org.leadex.exchange.leads.Contacts;
import org.leadex.exchange.leads.LeadValidator;
import org.leadex.exchange.ledger.LeadStore;
import org.leadex.exchange.ledger.PingRecorder;
import org.leadex.exchange.ledger.RecordIds;
import org.leadex.exchange.metrics.ExchangeMetrics;
import org.leadex.exchange.metrics.LoopLag;

/**
 * The seller API: {@code /v1/ping}, {@code /v1/post} and {@code /v1/leads}. Thin: it checks the
 * key and the body, hands a {@link PingRequest} to the auction, and writes the answer. The ping's
 * clock starts when its request arrives, before the body is read.
 */
public final class SellerRoutes {
  private static final Set<Role> SELLER = EnumSet.of(Role.SELLER);
  private static final String STARTED = "started-nanos";

  private final Authenticator auth;
  private final CatalogCache catalog;
  private final PingAuction auction;
  private final PingRecorder recorder;
  private final PostService posts;
  private final ExchangeMetrics metrics;
  private final Clock clock;
  private final int maxPingsInFlight;
  private final LoopLag loopLag;
  private final long maxLoopLagMillis;
  private final AtomicInteger pingsInFlight = new AtomicInteger();
  private final SellerRateLimits rateLimits;
  private final AdaptiveLimit limit;
  private final ContactScreening screening;

  public SellerRoutes(Authenticator auth, CatalogCache catalog, PingAuction auction, PingRecorder recorder,
                      PostService posts, ExchangeMetrics metrics, Clock clock, int maxPingsInFlight,
                      LoopLag loopLag, long maxLoopLagMillis, SellerRateLimits rateLimits, AdaptiveLimit limit,
                      ContactScreening screening) {
    this.auth = auth;
    this.catalog = catalog;
    this.auction = auction;
    this.recorder = recorder;
    this.posts = posts;
    this.metrics = metrics;
    this.clock = clock;
    this.maxPingsInFlight = maxPingsInFlight;
    this.loopLag = loopLag;
    this.maxLoopLagMillis = maxLoopLagMillis;
    this.rateLimits = rateLimits;
    this.limit = limit;
    this.screening = screening;
  }

  public void mount(Router router) {
    router.post("/v1/ping").handler(SellerRoutes::stamp).handler(this::admitSeller).handler(this::admitPing)
        .handler(Bodies.limit(Bodies.PING_LIMIT)).handler(this::ping);
    router.post("/v1/post").handler(this::admitSeller).handler(Bodies.limit(Bodies.DEFAULT_LIMIT)).handler(this::post);
    router.post("/v1/leads").handler(SellerRoutes::stamp).handler(this::admitSeller)
        .handler(Bodies.limit(Bodies.DEFAULT_LIMIT)).handler(this::direct);
  }

  public int pingsInFlight() {
    return pingsInFlight.get();
  }

  private static void stamp(RoutingContext ctx) {
    ctx.put(STARTED, System.nanoTime());
    ctx.next();
  }

  /**
   * The key, its address and the seller's rate limit, checked before the body is read: a caller
   * without a valid key, or over its rate, costs no body buffering or JSON parsing.
   */
  private void admitSeller(RoutingContext ctx) {
    Principal principal = auth.require(ctx, SELLER);
    Seller seller = catalog.current().seller(principal.id()).orElseThrow(() -> ApiError.unauthorized("unknown seller"));
    rateLimits.admit(seller);
    ctx.next();
  }

  /**
   * Turns a ping away while the exchange is loaded, before its body is read: the cheapest answer it
   * has, so that the pings it cannot serve cost it almost nothing and are told at once. Load is its
   * own event loop running late, or as many pings in flight as the adaptive limit allows now.
   */
  private void admitPing(RoutingContext ctx) {
    if (loopLag.currentMillis() > maxLoopLagMillis) {
      metrics.shed("loop_lag");
      throw ApiError.overloaded(1);
    }
    if (pingsInFlight.get() >= limit.current()) {
      limit.turnedAway();
      // at its ceiling (or with the adaptive limit off) this is the configured bound, not an adaptive cut
      metrics.shed(limit.current() < maxPingsInFlight ? "adaptive_limit" : "in_flight");
      throw ApiError.overloaded(1);
    }
    ctx.next();
  }

  /** The parts common to a ping and a direct post. */
  private record Submission(Seller seller, Campaign campaign, String source, String subId, boolean test, JsonNode lead,
                            Contacts hashes) {}

  private Submission submission(RoutingContext ctx, Catalog snapshot) {
    Principal principal = auth.require(ctx, SELLER);
    Seller seller = snapshot.seller(principal.id()).orElseThrow(() -> ApiError.unauthorized("unknown seller"));
    DocReader body = DocReader.of(Bodies.object(ctx), "");
    String campaignCode = body.string("campaign", 64);
    String source = body.optString("source", 128).orElse("");
    String subId = body.optString("sub_id", 64).filter(id -> !id.isEmpty()).orElse(null);
    boolean test = body.optBoolean("test").orElse(false);
    JsonNode lead = body.raw("lead");
    Contacts hashes = ContactHashes.read(body);
    body.done();
    Campaign campaign = snapshot.campaign(campaignCode).orElseThrow(() -> ApiError.unknownCampaign(campaignCode));
    return new Submission(seller, campaign, source, subId, test, lead, hashes);
  }

  private PingRequest pingRequest(RoutingContext ctx, Catalog snapshot, Submission s, ObjectNode fields, boolean direct,
                                  Contacts hashes) {
    long now = clock.millis();
    return new PingRequest(RecordIds.newId(now), Instant.ofEpochMilli(now), snapshot, s.seller(), s.campaign(),
        s.source(), s.test(), direct, fields, Deadline.of(ctx.get(STARTED), s.campaign().pingTimeoutMs()), s.subId(),
        hashes);
  }

  private void ping(RoutingContext ctx) {
    Catalog snapshot = catalog.current();
    Submission s = submission(ctx, snapshot);
    ObjectNode fields = LeadValidator.forPing(s.campaign(), s.lead());
    PingRequest request = pingRequest(ctx, snapshot, s, fields, false, s.hashes());
    decide(request, true).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
        return;
      }
      PingResult result = ar.result();
      ObjectNode answer = PingAnswer.of(result);
      // Recorded before the answer leaves, so that a trace or post that follows at once finds it queued.
      long micros = (System.nanoTime() - request.deadline().startNanos()) / 1_000;
      recorder.record(result.record(micros));
      Bodies.json(ctx, 200, answer);
      metrics.ping(result.sellerPrice().isPresent() ? "bid" : "no_bid", micros);
      metrics.latency().added().recordValue(micros - result.buyerWaitNanos() / 1_000);
    });
  }

  private void post(RoutingContext ctx) {
    long start = System.nanoTime();
    Principal principal = auth.require(ctx, SELLER);
    Catalog snapshot = catalog.current();
    Seller seller = snapshot.seller(principal.id()).orElseThrow(() -> ApiError.unauthorized("unknown seller"));
    DocReader body = DocReader.of(Bodies.object(ctx), "");
    String pingText = body.string("ping_id", 64);
    JsonNode lead = body.raw("lead");
    body.done();
    if (lead == null || !lead.isObject()) {
      throw ApiError.validation("lead", lead == null ? "lead is required" : "lead must be a JSON object");
    }
    UUID pingId = RecordIds.parse(pingText).orElseThrow(() -> ApiError.notFound("no ping '" + pingText + "'"));
    reply(ctx, posts.post(snapshot, seller, pingId, (ObjectNode) lead), start);
  }

  private void direct(RoutingContext ctx) {
    Catalog snapshot = catalog.current();
    Submission s = submission(ctx, snapshot);
    LeadValidator.SplitLead split = LeadValidator.forPost(s.campaign(), s.lead());
    // the PII is at hand: the lead is screened by its contacts before any buyer is asked
    ContactHashes.verify(s.hashes(), s.lead());
    PingRequest request = pingRequest(ctx, snapshot, s, split.fields(), true, Contacts.of(s.lead()));
    Future<ObjectNode> answer = decide(request, false).compose(result -> {
      long micros = (System.nanoTime() - request.deadline().startNanos()) / 1_000;
      recorder.record(result.record(micros));
      metrics.ping(result.sellerPrice().isPresent() ? "bid" : "no_bid", micros);
      UUID leadId = RecordIds.newId(clock.millis());
      LeadStore.NewLead newLead = new LeadStore.NewLead(leadId, request.pingId(), request.receivedAt(),
          s.campaign().id(), s.seller().id(), s.source(), s.test(), Json.text(split.pii()),
          result.decision().offers().isEmpty() ? null : result.decision().offers().get(0).buyerId(), s.subId());
      ObjectNode fullLead = ((ObjectNode) s.lead()).deepCopy();
      return posts.deliverNew(newLead, new ClaimedLead(leadId, request.pingId(), s.test(), snapshot,
          s.campaign(), s.seller(), result.decision().offers(), fullLead, s.source(),
          result.decision().sharedBuyers()), s.campaign());
    });
    reply(ctx, answer, request.deadline().startNanos());
  }

  private void reply(RoutingContext ctx, Future<ObjectNode> answer, long startNanos) {
    answer.onSuccess(a -> {
      Bodies.json(ctx, 200, a);
      metrics.post(Optional.ofNullable(a.get("status")).map(JsonNode::asText).orElse("error"),
          (System.nanoTime() - startNanos) / 1_000);
    }).onFailure(e -> {
      if (!(e instanceof ApiError)) {
        metrics.post("error", (System.nanoTime() - startNanos) / 1_000);
      }
      ctx.fail(e);
    });
  }

  /** Admits the ping (or sheds it with 503) and auctions it; the in-flight count holds until it is decided. */
  private Future<PingResult> decide(PingRequest request, boolean sheddable) {
    admit(request, sheddable);
    Future<PingResult> decided;
    try {
      // the dedupe look-ups may take half of what is left for the buyers
      long screenMillis = (request.deadline().buyersEndNanos() - System.nanoTime()) / 2_000_000;
      decided = screening.atPing(request.catalog(), request.campaign(), request.test(), request.hashes(), screenMillis)
          .compose(screen -> screen.duplicate() ? Future.succeededFuture(PingResult.duplicateOf(request))
              : auction.run(request, screen));
    } catch (RuntimeException e) {
      pingsInFlight.decrementAndGet();
      throw e;
    }
    return decided.onComplete(ar -> pingsInFlight.decrementAndGet());
  }

  /**
   * Sheds a ping at once, before it costs any buyer call, when its buyers' deadline has already
   * passed (it waited in a queue, or its body came slowly: no buyer could answer in time, and the
   * seller is better told "retry" now than "no bid" late), or any submission when too many pings are
   * in flight. A late event loop was already checked before the body ({@link #admitPing}: a late loop
   * cannot keep the deadline, and pinging buyers from it only makes their answers look late too,
   * which opens their circuits). Posts and direct posts are shed only by the in-flight bound: money
   * was promised on them.
   */
  private void admit(PingRequest request, boolean sheddable) {
    if (sheddable && System.nanoTime() >= request.deadline().buyersEndNanos()) {
      metrics.shed("deadline");
      throw ApiError.overloaded(1);
    }
    if (pingsInFlight.incrementAndGet() > maxPingsInFlight) {
      pingsInFlight.decrementAndGet();
      metrics.shed("in_flight");
      throw ApiError.overloaded(1);
    }
  }
}
