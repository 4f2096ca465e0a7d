package org.leadex.exchange.delivery;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.SqlConnection;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.leadex.exchange.auction.Offer;
import org.leadex.exchange.billing.Wallets;
import org.leadex.exchange.buyers.PostAnswer;
import org.leadex.exchange.buyers.PostClient;
import org.leadex.exchange.catalog.Buyer;
import org.leadex.exchange.catalog.Campaign;
import org.leadex.exchange.catalog.Catalog;
import org.leadex.exchange.catalog.Seller;
import org.leadex.exchange.compliance.ContactScreening;
import org.leadex.exchange.json.Json;
import org.leadex.exchange.leads.Contacts;
import org.leadex.exchange.ledger.BuyerUsage;
import org.leadex.exchange.ledger.DedupeStore;
import org.leadex.exchange.ledger.DeliveryOutbox;
import org.leadex.exchange.ledger.LeadStore;
import org.leadex.exchange.ledger.PostAttempt;
import org.leadex.exchange.logs.LeadLog;
import org.leadex.exchange.metrics.ExchangeMetrics;
import org.leadex.exchange.money.Money;

/**
 * Walks a claimed lead down its offers: posts it to each buyer in offer order until one accepts,
 * then records the sale (durably, before anyone is told) or records it unsold. Only the instance
 * holding the lead's lease runs this, so a lead is delivered once: before each offer is sent the
 * lease is renewed (to cover that offer's post_timeout_ms plus a margin) and the offer is marked as
 * possibly in the buyer's hands; an instance that lost its lease sends nothing more. See
 * {@link StuckLeads} for what happens to a lead whose instance died.
 *
 * <p>Event-loop confined per lead.
 */
public final class LeadDelivery {
  private static final Logger LOG = Logger.getLogger(LeadDelivery.class.getName());
  private final Vertx vertx;
  private final PostClient postClient;
  private final LeadStore leads;
  private final BuyerUsage usage;
  private final DedupeStore dedupe;
  private final ExchangeMetrics metrics;
  private final Clock clock;
  private final String instance;
  private final AtomicLong leases = new AtomicLong();
  private final long leaseMarginMillis;
  private final Wallets wallets;
  private final ContactScreening screening;

  /**
   * @param instance this instance's id, the prefix of the leases it takes
   * @param leaseMarginMillis how long a lease outlives the post it covers: time for the database
   *     writes around the post, and for retrying a sale's write when the database is briefly away
   */
  public LeadDelivery(Vertx vertx, PostClient postClient, LeadStore leads, BuyerUsage usage,
                      DedupeStore dedupe, ExchangeMetrics metrics, Clock clock, String instance, long leaseMarginMillis,
                      Wallets wallets, ContactScreening screening) {
    this.vertx = vertx;
    this.postClient = postClient;
    this.leads = leads;
    this.usage = usage;
    this.dedupe = dedupe;
    this.metrics = metrics;
    this.clock = clock;
    this.instance = instance;
    this.leaseMarginMillis = leaseMarginMillis;
    this.wallets = wallets;
    this.screening = screening;
  }

  /**
   * A new lease id: {@code <instance>-<n>}, one per claim or take-over, so that even two deliveries
   * of one lead on the same instance (a take-over of a lead this instance was too slow to deliver)
   * are told apart by the fence.
   */
  public String newLease() {
    return instance + "-" + leases.incrementAndGet();
  }

  /** The lease taken at a claim or a take-over: until the first offer renews it. */
  public long leaseMarginMillis() {
    return leaseMarginMillis;
  }

  /** One claimed lead to deliver. {@code lead} holds every field, PII included. */
  public record Claimed(UUID leadId, UUID pingId, boolean test, Catalog catalog, Campaign campaign, Seller seller,
                        List<Offer> offers, ObjectNode lead, String source) {}

  /**
   * Delivers the lead; completes with the seller's answer once it is recorded. A lead whose phone
   * or e-mail the campaign sold within its dedupe window is not offered at all ({@code duplicate_lead};
   * test leads are never duplicates).
   */
  public Future<ObjectNode> deliver(Claimed claimed, String lease) {
    int days = claimed.test() ? 0 : claimed.campaign().dedupeDays();
    List<PostAttempt> attempts = new ArrayList<>();
    return dedupe.claim(claimed.campaign().id(), days, claimed.leadId(), Contacts.of(claimed.lead()),
            conn -> leads.holdLease(conn, claimed.leadId(), lease, leaseMarginMillis))
        .compose(fresh -> fresh ? tryOffer(claimed, lease, 0, attempts)
            : unsold(claimed, lease, "duplicate_lead", List.of()))
        .recover(failure -> failure instanceof SaleNotRecorded || failure instanceof LeadStore.LeaseLost
            ? Future.failedFuture(failure)
            // No buyer took the lead yet (a database error on the way): close it as unsold rather
            // than leave it delivering, so a repeat post gets an answer and its contacts are free.
            // If even that cannot be written, the lease expires and another instance resolves it.
            : unsold(claimed, lease, "error", attempts));
  }

  /** A buyer accepted the lead but the sale could not be written: never to be turned into "unsold". */
  public static final class SaleNotRecorded extends RuntimeException {
    SaleNotRecorded(Throwable cause) {
      super("a buyer accepted the lead but the sale could not be recorded", cause);
    }
  }

  private Future<ObjectNode> unsold(Claimed claimed, String lease, String reason, List<PostAttempt> attempts) {
    ObjectNode answer = Json.object();
    answer.put("lead_id", claimed.leadId().toString());
    answer.put("status", "unsold");
    answer.put("reason", reason);
    boolean freeContacts = !reason.equals("duplicate_lead");
    return leads.unsold(claimed.leadId(), lease, reason, attempts, Json.text(answer),
            conn -> (freeContacts ? dedupe.release(conn, claimed.leadId()) : Future.<Void>succeededFuture())
                .compose(v -> usage.releaseHeld(conn, claimed.leadId()))
                .compose(v -> Wallets.releaseHeld(conn, claimed.leadId())))
        .map(v -> {
          LeadLog.log(LOG, Level.INFO, claimed.pingId(), claimed.leadId(), "unsold: " + reason + tried(attempts));
          return answer;
        });
  }

  private Future<ObjectNode> tryOffer(Claimed claimed, String lease, int index, List<PostAttempt> attempts) {
    if (index >= claimed.offers().size()) {
      return unsold(claimed, lease, claimed.offers().isEmpty() ? "no_offer" : "rejected", attempts);
    }
    Offer offer = claimed.offers().get(index);
    Buyer buyer = claimed.catalog().buyersById().get(offer.buyerId());
    if (buyer == null || !buyer.active()) {
      // Paused since the ping: it is not offered the lead.
      attempts.add(new PostAttempt(offer.buyerId(), offer.buyerCode(), offer.price(), false, 0, "paused", null,
          clock.instant()));
      return tryOffer(claimed, lease, index + 1, attempts);
    }
    // a buyer that suppressed the lead's contacts, or bought them within its dedupe_days, is passed over
    return screening.excludesAtPost(buyer, Contacts.of(claimed.lead()), claimed.test()).compose(excluded -> {
      if (excluded) {
        attempts.add(new PostAttempt(buyer.id(), buyer.code(), offer.price(), false, 0, "suppressed", null,
            clock.instant()));
        return tryOffer(claimed, lease, index + 1, attempts);
      }
      return offer(claimed, lease, index, attempts, offer, buyer);
    });
  }

  private Future<ObjectNode> offer(Claimed claimed, String lease, int index, List<PostAttempt> attempts, Offer offer,
                                   Buyer buyer) {
    boolean counted = !claimed.test() && buyer.limited();
    BuyerUsage.Reservation[] reserved = new BuyerUsage.Reservation[1];
    long leaseMillis = claimed.campaign().postTimeoutMs() + leaseMarginMillis;
    // the lease as this instance sees it: it was renewed after this moment, so it ends later
    long leaseEndNanos = System.nanoTime() + leaseMillis * 1_000_000L;
    int offerIndex = index;
    Future<Optional<String>> limit = counted
        ? usage.reserve(buyer, offer.price(), claimed.leadId(),
            conn -> leads.renewLease(conn, claimed.leadId(), lease, offerIndex, leaseMillis), reserved)
        : leads.renewLease(claimed.leadId(), lease, index, leaseMillis).map(v -> Optional.empty());
    // A prepaid buyer's price is reserved of its wallet once the offer is sure to be sent (the lease
    // names the offer, so a crash from here on closes the lead and gives the reservation back).
    boolean charged = Wallets.charges(buyer, claimed.test());
    Future<Optional<String>> allowed = !charged ? limit : limit.compose(refused -> refused.isPresent()
        ? Future.succeededFuture(refused)
        : wallets.reserve(buyer, claimed.leadId(), offer.price()).compose(shortOf -> shortOf.isEmpty() || reserved[0] == null
            ? Future.succeededFuture(shortOf) : usage.release(claimed.leadId()).map(shortOf)));
    return allowed.compose(refused -> {
      if (refused.isPresent()) {
        // Over a cap or at capacity since the ping: not offered the lead.
        attempts.add(new PostAttempt(buyer.id(), buyer.code(), offer.price(), false, 0, refused.get(), null,
            clock.instant()));
        return tryOffer(claimed, lease, index + 1, attempts);
      }
      // A buyer without a post_url takes its leads through its CRM: it accepts on offer, and the
      // copy to its CRM follows the sale through the outbox.
      Future<PostAnswer> posted = buyer.takesPosts()
          ? postClient.deliver(buyer, postBody(claimed, offer), claimed.campaign().postTimeoutMs())
          : Future.succeededFuture(new PostAnswer(true, null, null, 0));
      return posted
          .compose(answer -> {
            attempts.add(new PostAttempt(buyer.id(), buyer.code(), offer.price(), answer.accepted(),
                answer.latencyMillis(), answer.reason(), answer.reference(), clock.instant()));
            if (!answer.accepted()) {
              Future<Void> given = (reserved[0] == null ? Future.<Void>succeededFuture() : usage.release(claimed.leadId()))
                  .compose(v -> charged ? wallets.release(claimed.leadId(), buyer.id()) : Future.succeededFuture());
              return given.compose(v -> tryOffer(claimed, lease, index + 1, attempts));
            }
            return sold(claimed, buyer, offer, answer, attempts, reserved[0], leaseEndNanos);
          });
    });
  }

  private Future<ObjectNode> sold(Claimed claimed, Buyer buyer, Offer offer, PostAnswer answer,
                                  List<PostAttempt> attempts, BuyerUsage.Reservation reservation, long leaseEndNanos) {
    Money sellerPrice = claimed.seller().payout().sellerPrice(offer.price());
    ObjectNode reply = Json.object();
    reply.put("lead_id", claimed.leadId().toString());
    reply.put("status", "sold");
    reply.put("price", sellerPrice.toDecimal());
    LeadStore.Sale sale = new LeadStore.Sale(offer.buyerId(), claimed.seller().id(), offer.price(), sellerPrice,
        answer.reference());
    String replyJson = Json.text(reply);
    Function<SqlConnection, Future<Void>> usageCounters = conn -> claimed.test()
        ? Future.succeededFuture()
        : usage.recordSale(conn, buyer, reservation != null && reservation.capacity(), reservation == null, offer.price());
    // The CRM copy and the notice go to the outbox in the sale's transaction: sent after the
    // seller's answer, and only if the sale is recorded.
    List<DeliveryOutbox.Item> copies = SaleCopies.of(buyer, SaleCopies.context(claimed.pingId(), claimed.leadId(),
        buyer, claimed.campaign().code(), claimed.source(), claimed.test(), offer.price(), answer.reference(),
        claimed.lead(), clock.instant()));
    boolean charged = Wallets.charges(buyer, claimed.test());
    Function<SqlConnection, Future<Void>> counters = conn -> usageCounters.apply(conn)
        .compose(v -> DeliveryOutbox.add(conn, claimed.leadId(), copies))
        .compose(v -> charged ? Wallets.debit(conn, claimed.leadId(), buyer) : Future.succeededFuture())
        .compose(v -> screening.recordPurchase(conn, buyer, Contacts.of(claimed.lead()), claimed.test()));
    // The buyer has the lead: the sale must be recorded. Retries ride out a dropped connection or a
    // database restart for as long as the lease lasts (after that another instance may close the
    // lead); the write is idempotent (a retry after a lost acknowledgement finds its sale).
    return recordSale(claimed, sale, attempts, replyJson, counters, 0, leaseEndNanos - 1_000_000_000L)
        .map(v -> {
          if (!claimed.test()) {
            metrics.revenue(offer.price().cents());
            metrics.sale(buyer.code());
          }
          LeadLog.log(LOG, Level.INFO, claimed.pingId(), claimed.leadId(), "sold to " + buyer.code() + " at "
              + offer.price() + tried(attempts.subList(0, attempts.size() - 1))
              + (copies.isEmpty() ? "" : "; " + copies.size() + " webhook deliveries queued"));
          return reply;
        });
  }

  private Future<Void> recordSale(Claimed claimed, LeadStore.Sale sale, List<PostAttempt> attempts, String replyJson,
                                  Function<SqlConnection, Future<Void>> counters, int attempt, long giveUpNanos) {
    return leads.sold(claimed.leadId(), claimed.test(), sale, attempts, replyJson, counters).recover(e -> {
      long pause = Math.min(1_000L, 100L << Math.min(attempt, 4));
      if (e instanceof LeadStore.LeaseLost || System.nanoTime() + pause * 1_000_000L > giveUpNanos) {
        return Future.failedFuture(new SaleNotRecorded(e));
      }
      Promise<Void> retried = Promise.promise();
      vertx.setTimer(pause, id -> recordSale(claimed, sale, attempts, replyJson, counters, attempt + 1, giveUpNanos)
          .onComplete(retried));
      return retried.future();
    });
  }

  /** The offers declined before, with the buyers' reasons (masked for PII by the log formatter). */
  private static String tried(List<PostAttempt> attempts) {
    if (attempts.isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder(" after ");
    for (int i = 0; i < attempts.size(); i++) {
      PostAttempt a = attempts.get(i);
      out.append(i == 0 ? "" : ", ").append(a.buyerCode()).append(": ").append(a.reason());
    }
    return out.toString();
  }

  private static Buffer postBody(Claimed claimed, Offer offer) {
    ObjectNode body = Json.object();
    body.put("ping_id", claimed.pingId().toString());
    body.put("lead_id", claimed.leadId().toString());
    if (offer.bidId() == null) {
      body.putNull("bid_id");
    } else {
      body.put("bid_id", offer.bidId());
    }
    body.put("price", offer.price().toDecimal());
    body.put("test", claimed.test());
    body.set("lead", claimed.lead());
    return Buffer.buffer(Json.bytes(body));
  }
}
