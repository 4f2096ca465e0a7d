package org.leadex.exchange.delivery;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.leadex.exchange.api.ApiError;
import org.leadex.exchange.auction.Offer;
import org.leadex.exchange.catalog.Campaign;
import org.leadex.exchange.catalog.Catalog;
import org.leadex.exchange.catalog.Seller;
import org.leadex.exchange.compliance.ContactHashes;
import org.leadex.exchange.json.Json;
import org.leadex.exchange.leads.LeadValidator;
import org.leadex.exchange.ledger.LeadStore;
import org.leadex.exchange.ledger.OffersJson;
import org.leadex.exchange.ledger.PingRecorder;
import org.leadex.exchange.ledger.PingStore;
import org.leadex.exchange.ledger.RecordIds;
import org.leadex.exchange.ledger.StoredPing;
import org.leadex.exchange.postgres.DatabaseFaults;

/**
 * The post of a pinged lead: finds the ping (on any instance), checks the lead against it, and
 * makes the post idempotent: the first post of a ping claims the lead and delivers it; a repeat, on
 * this instance or another, waits for that delivery and answers the same. A repeat that finds the
 * lead stuck (its instance died mid-delivery, its lease expired) has it resolved at once.
 *
 * <p>While the database is unreachable a post is answered 503 {@code unavailable}: before its lead
 * is claimed nothing happened; after, the lead's outcome is not recorded yet, and a repeat post
 * (once the database is back) gets it. Never {@code sold} without a committed sale.
 *
 * <p>Thread safe; each call runs on its request's event loop.
 */
public final class PostService {
  /** How long after a ping a post may find it not yet written (another instance's batch). */
  private static final Duration RECENT = Duration.ofSeconds(3);

  private final Vertx vertx;
  private final PingStore pings;
  private final PingRecorder recorder;
  private final LeadStore leads;
  private final LeadDelivery delivery;
  private final StuckLeads stuck;
  private final Clock clock;
  private final ConcurrentHashMap<UUID, Future<ObjectNode>> inFlight = new ConcurrentHashMap<>();

  public PostService(Vertx vertx, PingStore pings, PingRecorder recorder, LeadStore leads, LeadDelivery delivery,
                     StuckLeads stuck, Clock clock) {
    this.vertx = vertx;
    this.pings = pings;
    this.recorder = recorder;
    this.leads = leads;
    this.delivery = delivery;
    this.stuck = stuck;
    this.clock = clock;
  }

  /** Leads this instance is delivering for a post now (a shutdown reports those it cuts). */
  public int deliveriesInFlight() {
    return inFlight.size();
  }

  /** {@code POST /v1/post}: the seller's full lead for one of its pings. */
  public Future<ObjectNode> post(Catalog catalog, Seller seller, UUID pingId, ObjectNode lead) {
    return unavailableOnDatabaseFailure(findPing(pingId).compose(found -> {
      StoredPing ping = found.filter(p -> p.sellerId() == seller.id())
          .orElseThrow(() -> ApiError.notFound("no ping '" + pingId + "'"));
      Campaign campaign = catalog.campaignsById().get(ping.campaignId());
      if (campaign == null) {
        throw ApiError.notFound("the campaign of ping '" + pingId + "' no longer exists");
      }
      LeadValidator.SplitLead split = LeadValidator.forPost(campaign, lead);
      ObjectNode pinged = (ObjectNode) Json.parse(ping.leadJson());
      String mismatch = LeadValidator.firstMismatch(campaign, pinged, split.fields());
      if (mismatch != null) {
        throw ApiError.leadMismatch("lead." + mismatch, "lead." + mismatch + " differs from the ping's value");
      }
      ContactHashes.verify(ping.hashes(), lead);
      List<Offer> offers = OffersJson.read(ping.offersJson(), catalog);
      Instant expires = ping.receivedAt().plusSeconds(campaign.pingTtlSeconds());
      if (clock.instant().isAfter(expires)) {
        // too late to claim; but a repeat of a post made in time still gets its answer
        return leads.findByPing(pingId).compose(existing -> existing.isPresent()
            ? answerOf(pingId, offers.size(), campaign)
            : Future.failedFuture(ApiError.pingExpired("ping '" + pingId + "' expired at " + expires)));
      }
      // No look for the lead first: the claim itself tells a first post from a repeat.
      UUID leadId = RecordIds.newId(clock.millis());
      LeadStore.NewLead newLead = new LeadStore.NewLead(leadId, pingId, ping.receivedAt(), campaign.id(),
          seller.id(), ping.source(), ping.test(), Json.text(split.pii()),
          offers.isEmpty() ? null : offers.get(0).buyerId(), ping.subId());
      return claimAndDeliver(newLead, new ClaimedLead(leadId, pingId, ping.test(), catalog, campaign,
          seller, offers, lead.deepCopy(), ping.source(), ping.sharedBuyers()), campaign);
    }));
  }

  /**
   * Delivers a lead whose ping was just decided on this instance (a direct post): nobody else can
   * hold its ping id yet, but the claim still goes through the database so the record is complete.
   */
  public Future<ObjectNode> deliverNew(LeadStore.NewLead newLead, ClaimedLead claimed, Campaign campaign) {
    return unavailableOnDatabaseFailure(claimAndDeliver(newLead, claimed, campaign));
  }

  /**
   * The database failing under a post (unreachable, restarting) is told as 503: the post may be
   * repeated, and its repeat gets the lead's outcome once it is recorded.
   */
  private static Future<ObjectNode> unavailableOnDatabaseFailure(Future<ObjectNode> answer) {
    return answer.recover(e -> {
      if (e instanceof LeadDelivery.SaleNotRecorded) {
        return Future.failedFuture(ApiError.unavailable("a buyer accepted the lead but the database is unreachable"
            + " and the sale is not recorded yet; repeat the post for its answer"));
      }
      return Future.failedFuture(!(e instanceof ApiError) && DatabaseFaults.unavailable(e)
          ? ApiError.unavailable("the database is unreachable; repeat the post for its answer") : e);
    });
  }

  private Future<ObjectNode> claimAndDeliver(LeadStore.NewLead newLead, ClaimedLead claimed,
                                             Campaign campaign) {
    Promise<ObjectNode> answer = Promise.promise();
    Future<ObjectNode> existing = inFlight.putIfAbsent(newLead.pingId(), answer.future());
    if (existing != null) {
      return existing;
    }
    String lease = delivery.newLease();
    boolean firstOffer = delivery.firstOfferAtClaim(claimed);
    long leasedAt = System.nanoTime();
    long leaseMillis = delivery.leaseMarginMillis() + (firstOffer ? campaign.postTimeoutMs() : 0);
    ClaimedLead leased = firstOffer ? claimed.withFirstOfferLeasedAt(leasedAt) : claimed;
    leads.claim(newLead, lease, leaseMillis, firstOffer)
        .compose(won -> won
            ? delivery.deliver(leased, lease).recover(e -> e instanceof LeadStore.LeaseLost
                // taken over by another instance (this one was too slow): that one answers
                ? answerOf(newLead.pingId(), claimed.offers().size(), campaign) : Future.failedFuture(e))
            : answerOf(newLead.pingId(), claimed.offers().size(), campaign))
        .onComplete(ar -> {
          inFlight.remove(newLead.pingId());
          answer.handle(ar);
        });
    return answer.future();
  }

  /**
   * The recorded answer of a ping's post, waiting while another instance (or a take-over) is still
   * delivering it: at most every offer's post_timeout_ms plus the lease margin and 2 s, then 409.
   */
  private Future<ObjectNode> answerOf(UUID pingId, int offers, Campaign campaign) {
    long waitMillis = (long) Math.max(1, offers) * campaign.postTimeoutMs() + delivery.leaseMarginMillis() + 2_000;
    long giveUp = System.nanoTime() + waitMillis * 1_000_000L;
    Promise<ObjectNode> promise = Promise.promise();
    poll(pingId, giveUp, promise, 0);
    return promise.future();
  }

  private void poll(UUID pingId, long giveUpNanos, Promise<ObjectNode> promise, long lastResolveNanos) {
    leads.findByPing(pingId).onComplete(ar -> {
      if (ar.failed()) {
        promise.fail(ar.cause());
        return;
      }
      Optional<LeadStore.LeadState> state = ar.result();
      if (state.isPresent() && state.get().finished()) {
        promise.complete((ObjectNode) Json.parse(state.get().answerJson()));
      } else if (System.nanoTime() > giveUpNanos) {
        promise.fail(ApiError.conflict("the post of ping '" + pingId + "' is still being delivered; retry later"));
      } else if (state.isPresent() && state.get().leaseExpired() && System.nanoTime() - lastResolveNanos > 1_000_000_000L) {
        // its instance stopped renewing the lease: resolve it here rather than wait for a sweep
        long now = System.nanoTime();
        stuck.resolve(state.get().leadId()).onComplete(done -> vertx.setTimer(50, id -> poll(pingId, giveUpNanos,
            promise, now)));
      } else {
        vertx.setTimer(50, id -> poll(pingId, giveUpNanos, promise, lastResolveNanos));
      }
    });
  }

  /**
   * Finds a ping: in this instance's write batch (a post usually comes before its ping's batch is
   * written), else in the database. A ping only milliseconds old may still sit in another
   * instance's batch, so a recent one is looked for again for a short while before the answer is no.
   */
  private Future<Optional<StoredPing>> findPing(UUID pingId) {
    Optional<StoredPing> here = recorder.unwritten(pingId);
    if (here.isPresent()) {
      return Future.succeededFuture(here);
    }
    Instant born = RecordIds.timeOf(pingId).orElse(Instant.EPOCH);
    Instant lookUntil = born.plus(RECENT);
    return pings.find(pingId).compose(found -> {
      if (found.isPresent()) {
        return Future.succeededFuture(found);
      }
      if (clock.instant().isAfter(lookUntil)) {
        // an older ping may still wait in this instance's backlog (the database was away a while)
        return recorder.backlog() == 0 ? Future.succeededFuture(found)
            : recorder.flushed().timeout(2, TimeUnit.SECONDS).compose(v -> pings.find(pingId));
      }
      return recorder.flushed().compose(v -> retryFind(pingId, lookUntil));
    });
  }

  private Future<Optional<StoredPing>> retryFind(UUID pingId, Instant lookUntil) {
    return pings.find(pingId).compose(found -> {
      if (found.isPresent() || clock.instant().isAfter(lookUntil)) {
        return Future.succeededFuture(found);
      }
      Promise<Optional<StoredPing>> later = Promise.promise();
      vertx.setTimer(100, id -> retryFind(pingId, lookUntil).onComplete(later));
      return later.future();
    });
  }
}
