package org.leadex.exchange.delivery;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.SqlConnection;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.leadex.exchange.auction.Offer;
import org.leadex.exchange.billing.Wallets;
import org.leadex.exchange.buyers.PostAnswer;
import org.leadex.exchange.buyers.PostClient;
import org.leadex.exchange.catalog.Buyer;
import org.leadex.exchange.catalog.Payout;
import org.leadex.exchange.compliance.ConsentCheck;
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
 * then records the sale (durably, before anyone is told) or records it unsold. A shared lead is
 * offered to several buyers at once, each purchase recorded as it is made, until {@code max_buyers}
 * bought or the offers ran out. A campaign with a consent check has the lead's certificate checked
 * first ({@link ConsentCheck}): without a valid one the lead is offered to nobody ({@code consent_invalid}). Only the instance
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
  private final ConsentCheck consent;

  /**
   * @param instance this instance's id, the prefix of the leases it takes
   * @param leaseMarginMillis how long a lease outlives the post it covers: time for the database
   *     writes around the post, and for retrying a sale's write when the database is briefly away
   */
  public LeadDelivery(Vertx vertx, PostClient postClient, LeadStore leads, BuyerUsage usage,
                      DedupeStore dedupe, ExchangeMetrics metrics, Clock clock, String instance, long leaseMarginMillis,
                      Wallets wallets, ContactScreening screening, ConsentCheck consent) {
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
    this.consent = consent;
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

  /**
   * Whether the lead's first offer goes out straight after its claim, nothing to check, look up or
   * reserve in between (no consent check, no dedupe window, a first buyer that is active, uncapped,
   * not prepaid and clear of its suppression list). Then the claim itself leases the lead for that
   * offer and marks it as possibly in the buyer's hands, which the offer's own lease renewal would
   * otherwise do: one statement and one commit fewer per post. Anything in between would make the
   * mark untrue should this instance die before the offer is sent (the lead would be closed rather
   * than delivered by another instance), so any such lead is claimed the usual way.
   */
  public boolean firstOfferAtClaim(ClaimedLead claimed) {
    if (claimed.sharedBuyers() > 0 || claimed.offers().isEmpty() || claimed.campaign().checksConsent()) {
      return false;
    }
    Contacts contacts = Contacts.of(claimed.lead());
    if (!claimed.test() && claimed.campaign().dedupeDays() > 0 && !contacts.isEmpty()) {
      return false;
    }
    Buyer buyer = claimed.catalog().buyersById().get(claimed.offers().get(0).buyerId());
    return buyer != null && buyer.active() && (claimed.test() || !buyer.limited())
        && !Wallets.charges(buyer, claimed.test())
        && screening.clearAtPostWithoutLooking(buyer, contacts, claimed.test());
  }

  /** One buyer's recorded purchase of a shared lead: its offer's index and the seller's payout on it. */
  private record Share(int index, Offer offer, Money payout) {}

  /** A buyer that accepted its offer of the lead, with the cap unit its offer holds (null: none). */
  private record Taken(Buyer buyer, Offer offer, PostAnswer answer, BuyerUsage.Reservation reservation,
                       long leaseEndNanos) {}

  /**
   * Delivers the lead; completes with the seller's answer once it is recorded. A lead whose phone
   * or e-mail the campaign sold within its dedupe window is not offered at all ({@code duplicate_lead};
   * test leads are never duplicates).
   */
  public Future<ObjectNode> deliver(ClaimedLead claimed, String lease) {
    int days = claimed.test() ? 0 : claimed.campaign().dedupeDays();
    List<PostAttempt> attempts = new ArrayList<>();
    return dedupe.claim(claimed.campaign().id(), days, claimed.leadId(), Contacts.of(claimed.lead()),
            conn -> leads.holdLease(conn, claimed.leadId(), lease, leaseMarginMillis))
        .compose(fresh -> !fresh ? unsold(claimed, lease, "duplicate_lead", List.of())
            : consent.check(claimed.campaign(), claimed.lead()).compose(verdict -> verdict == null
                ? offerAll(claimed, lease, attempts)
                // the verdict is kept with the lead whatever it says: it is the sale's proof, or the reason there is none
                : leads.recordConsent(claimed.leadId(), Json.text(verdict.json())).compose(v -> verdict.valid()
                    ? offerAll(claimed.withConsent(verdict), lease, attempts)
                    : unsold(claimed, lease, "consent_invalid", List.of()))))
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

  private Future<ObjectNode> unsold(ClaimedLead claimed, String lease, String reason, List<PostAttempt> attempts) {
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

  private Future<ObjectNode> offerAll(ClaimedLead claimed, String lease, List<PostAttempt> attempts) {
    return claimed.sharedBuyers() > 0 ? deliverShared(claimed, lease, attempts) : tryOffer(claimed, lease, 0, attempts);
  }

  /** An exclusive lead: its offers one after another, until one accepts. */
  private Future<ObjectNode> tryOffer(ClaimedLead claimed, String lease, int index, List<PostAttempt> attempts) {
    if (index >= claimed.offers().size()) {
      return unsold(claimed, lease, claimed.offers().isEmpty() ? "no_offer" : "rejected", attempts);
    }
    return attempt(claimed, lease, index, attempts).compose(taken -> taken == null
        ? tryOffer(claimed, lease, index + 1, attempts)
        : sold(claimed, taken, attempts));
  }

  /**
   * A shared lead: up to {@code sharedBuyers} offers out at once, each on a lane of its own that
   * moves on to the next untried offer when its buyer declines, and stops when its buyer buys or the
   * offers run out. Each purchase is recorded as it happens (the buyer has the lead); the seller's
   * answer, once every lane has stopped, sums them. No buyer is offered the lead twice: a ping has
   * one offer per buyer.
   */
  private Future<ObjectNode> deliverShared(ClaimedLead claimed, String lease, List<PostAttempt> attempts) {
    if (claimed.offers().isEmpty()) {
      return unsold(claimed, lease, "no_offer", attempts);
    }
    int[] next = {0};
    List<Share> shares = new ArrayList<>();
    List<Future<Void>> lanes = new ArrayList<>();
    for (int i = 0; i < Math.min(claimed.sharedBuyers(), claimed.offers().size()); i++) {
      lanes.add(lane(claimed, lease, next, attempts, shares));
    }
    return Future.join(lanes).transform(done -> {
      Throwable failure = null;
      for (Future<Void> lane : lanes) {
        if (lane.failed() && (failure == null || lane.cause() instanceof SaleNotRecorded
            || lane.cause() instanceof LeadStore.LeaseLost)) {
          failure = lane.cause();
        }
      }
      if (failure instanceof SaleNotRecorded || failure instanceof LeadStore.LeaseLost) {
        return Future.failedFuture(failure);
      }
      if (shares.isEmpty()) {
        // a lane that failed before any buyer bought: as for an exclusive lead, closed unsold (error)
        return failure != null ? Future.failedFuture(failure) : unsold(claimed, lease, "rejected", attempts);
      }
      // some buyers bought and are recorded: the lead is sold to them, whatever befell the other lanes
      return soldShared(claimed, lease, shares, attempts);
    });
  }

  private Future<Void> lane(ClaimedLead claimed, String lease, int[] next, List<PostAttempt> attempts,
                            List<Share> shares) {
    int index = next[0]++;
    if (index >= claimed.offers().size()) {
      return Future.succeededFuture();
    }
    return attempt(claimed, lease, index, attempts).compose(taken -> taken == null
        ? lane(claimed, lease, next, attempts, shares)
        : recordShare(claimed, taken).map(payout -> {
          shares.add(new Share(index, taken.offer(), payout));
          return null;
        }));
  }

  /**
   * Offers the lead to offer {@code index}'s buyer: completes with the buyer that accepted, or null
   * when the offer was not sent (paused, suppressed, over a cap, short of funds) or was declined;
   * either way the attempt is in {@code attempts} and what the offer held is given back.
   */
  private Future<Taken> attempt(ClaimedLead claimed, String lease, int index, List<PostAttempt> attempts) {
    Offer offer = claimed.offers().get(index);
    Buyer buyer = claimed.catalog().buyersById().get(offer.buyerId());
    if (buyer == null || !buyer.active()) {
      // Paused since the ping: it is not offered the lead.
      attempts.add(new PostAttempt(offer.buyerId(), offer.buyerCode(), offer.price(), false, 0, "paused", null,
          clock.instant()));
      return Future.succeededFuture();
    }
    // a buyer that suppressed the lead's contacts, or bought them within its dedupe_days, is passed over
    return screening.excludesAtPost(buyer, Contacts.of(claimed.lead()), claimed.test()).compose(excluded -> {
      if (excluded) {
        attempts.add(new PostAttempt(buyer.id(), buyer.code(), offer.price(), false, 0, "suppressed", null,
            clock.instant()));
        return Future.succeededFuture();
      }
      return send(claimed, lease, index, attempts, offer, buyer);
    });
  }

  private Future<Taken> send(ClaimedLead claimed, String lease, int index, List<PostAttempt> attempts, Offer offer,
                             Buyer buyer) {
    boolean counted = !claimed.test() && buyer.limited();
    BuyerUsage.Reservation[] reserved = new BuyerUsage.Reservation[1];
    long leaseMillis = claimed.campaign().postTimeoutMs() + leaseMarginMillis;
    // the claim leased the lead for this offer already (firstOfferAtClaim): no renewal
    boolean leasedAtClaim = index == 0 && claimed.firstOfferLeasedAt() >= 0;
    // the lease as this instance sees it: it was renewed after this moment, so it ends later
    long leaseEndNanos = (leasedAtClaim ? claimed.firstOfferLeasedAt() : System.nanoTime()) + leaseMillis * 1_000_000L;
    int offerIndex = index;
    Future<Optional<String>> limit = counted
        ? usage.reserve(buyer, offer.price(), claimed.leadId(),
            conn -> leads.renewLease(conn, claimed.leadId(), lease, offerIndex, leaseMillis), reserved)
        : leasedAtClaim ? Future.succeededFuture(Optional.empty())
        : leads.renewLease(claimed.leadId(), lease, index, leaseMillis).map(v -> Optional.empty());
    // A prepaid buyer's price is reserved of its wallet once the offer is sure to be sent (the lease
    // names the offer, so a crash from here on closes the lead and gives the reservation back).
    boolean charged = Wallets.charges(buyer, claimed.test());
    Future<Optional<String>> allowed = !charged ? limit : limit.compose(refused -> refused.isPresent()
        ? Future.succeededFuture(refused)
        : wallets.reserve(buyer, claimed.leadId(), offer.price()).compose(shortOf -> shortOf.isEmpty() || reserved[0] == null
            ? Future.succeededFuture(shortOf) : usage.release(claimed.leadId(), buyer.id()).map(shortOf)));
    return allowed.compose(refused -> {
      if (refused.isPresent()) {
        // Over a cap or at capacity since the ping: not offered the lead.
        attempts.add(new PostAttempt(buyer.id(), buyer.code(), offer.price(), false, 0, refused.get(), null,
            clock.instant()));
        return Future.succeededFuture();
      }
      // A buyer without a post_url takes its leads through its CRM: it accepts on offer, and the
      // copy to its CRM follows the sale through the outbox.
      Future<PostAnswer> posted = buyer.takesPosts()
          ? postClient.deliver(buyer, new BuyerPost(claimed, offer), claimed.campaign().postTimeoutMs())
          : Future.succeededFuture(new PostAnswer(true, null, null, 0));
      return posted.compose(answer -> {
        attempts.add(new PostAttempt(buyer.id(), buyer.code(), offer.price(), answer.accepted(),
            answer.latencyMillis(), answer.reason(), answer.reference(), clock.instant()));
        if (answer.accepted()) {
          return Future.succeededFuture(new Taken(buyer, offer, answer, reserved[0], leaseEndNanos));
        }
        return (reserved[0] == null ? Future.<Void>succeededFuture() : usage.release(claimed.leadId(), buyer.id()))
            .compose(v -> charged ? wallets.release(claimed.leadId(), buyer.id()) : Future.<Void>succeededFuture())
            .map((Taken) null);
      });
    });
  }

  private Future<ObjectNode> sold(ClaimedLead claimed, Taken taken, List<PostAttempt> attempts) {
    Offer offer = taken.offer();
    Buyer buyer = taken.buyer();
    Money sellerPrice = claimed.seller().payout().sellerPrice(offer.price());
    ObjectNode reply = Json.object();
    reply.put("lead_id", claimed.leadId().toString());
    reply.put("status", "sold");
    reply.put("price", sellerPrice.toDecimal());
    reply.put("buyers", 1);
    LeadStore.Sale sale = new LeadStore.Sale(offer.buyerId(), claimed.seller().id(), offer.price(), sellerPrice,
        taken.answer().reference());
    String replyJson = Json.text(reply);
    List<DeliveryOutbox.Item> copies = copies(claimed, taken);
    Function<SqlConnection, Future<Void>> counters = saleWrites(claimed, taken, copies);
    // The buyer has the lead: the sale must be recorded. Retries ride out a dropped connection or a
    // database restart for as long as the lease lasts (after that another instance may close the
    // lead); the write is idempotent (a retry after a lost acknowledgement finds its sale).
    return durably(() -> leads.sold(claimed.leadId(), claimed.test(), sale, attempts, replyJson, counters), 0,
            taken.leaseEndNanos() - 1_000_000_000L)
        .map(v -> {
          counted(claimed, taken);
          LeadLog.log(LOG, Level.INFO, claimed.pingId(), claimed.leadId(), "sold to " + buyer.code() + " at "
              + offer.price() + tried(attempts.subList(0, attempts.size() - 1))
              + (copies.isEmpty() ? "" : "; " + copies.size() + " webhook deliveries queued"));
          return reply;
        });
  }

  /**
   * One buyer's purchase of a shared lead, recorded at once (durably, as for an exclusive sale);
   * completes with the seller's payout on it: its revenue share, or 0 under a fixed payout, which is
   * paid once per lead and set on one sale when the lead closes ({@link #soldShared}).
   */
  private Future<Money> recordShare(ClaimedLead claimed, Taken taken) {
    Offer offer = taken.offer();
    Payout payout = claimed.seller().payout();
    Money first = payout instanceof Payout.Fixed ? Money.ZERO : payout.sellerPrice(offer.price());
    Money later = first;
    List<DeliveryOutbox.Item> copies = copies(claimed, taken);
    Function<SqlConnection, Future<Void>> writes = saleWrites(claimed, taken, copies);
    return durably(() -> leads.soldShare(claimed.leadId(), claimed.test(), offer.buyerId(), claimed.seller().id(),
            offer.price(), first, later, taken.answer().reference(), writes), 0, taken.leaseEndNanos() - 1_000_000_000L)
        .map(recorded -> {
          counted(claimed, taken);
          LeadLog.log(LOG, Level.INFO, claimed.pingId(), claimed.leadId(), "shared with " + taken.buyer().code()
              + " at " + offer.price());
          return recorded;
        });
  }

  /**
   * Closes a shared lead some buyers bought: the seller is paid the sum of their sales' payouts. A
   * fixed seller payout is set here, once, on the lead's highest-priced sale (ties: the earlier
   * offer), so that which sale carries it (and is clawed back on its return) never depends on which
   * buyer happened to answer first.
   */
  private Future<ObjectNode> soldShared(ClaimedLead claimed, String lease, List<Share> shares,
                                        List<PostAttempt> attempts) {
    Money sum = Money.ZERO;
    Share carrier = null;
    for (Share share : shares) {
      sum = sum.plus(share.payout());
      if (carrier == null || share.offer().price().compareTo(carrier.offer().price()) > 0
          || (share.offer().price().equals(carrier.offer().price()) && share.index() < carrier.index())) {
        carrier = share;
      }
    }
    Integer fixedOn = null;
    Money fixed = null;
    if (claimed.seller().payout() instanceof Payout.Fixed f) {
      fixedOn = carrier.offer().buyerId();
      fixed = f.amount();
      sum = fixed;
    }
    int buyers = shares.size();
    Integer fixedBuyer = fixedOn;
    Money fixedAmount = fixed;
    ObjectNode reply = Json.object();
    reply.put("lead_id", claimed.leadId().toString());
    reply.put("status", "sold");
    reply.put("price", sum.toDecimal());
    reply.put("buyers", buyers);
    Money total = sum;
    return durably(() -> leads.soldShared(claimed.leadId(), lease, total, attempts, Json.text(reply), fixedBuyer,
            fixedAmount), 0,
            System.nanoTime() + leaseMarginMillis * 1_000_000L - 1_000_000_000L)
        .map(v -> {
          LeadLog.log(LOG, Level.INFO, claimed.pingId(), claimed.leadId(), "sold shared to " + buyers
              + " buyers" + tried(attempts));
          return reply;
        });
  }

  /** The CRM copy and the notice of a sale, for the outbox. */
  private List<DeliveryOutbox.Item> copies(ClaimedLead claimed, Taken taken) {
    return SaleCopies.of(taken.buyer(), SaleCopies.context(claimed.pingId(), claimed.leadId(), taken.buyer(),
        claimed.campaign().code(), claimed.source(), claimed.test(), taken.offer().price(),
        taken.answer().reference(), claimed.lead(), clock.instant()));
  }

  /**
   * What a sale writes besides itself, in its transaction: the buyer's caps and last sale, the CRM
   * copy and notice to the outbox (sent after the seller's answer, and only if the sale is
   * recorded), the wallet debit, and the contacts it bought (for its dedupe window).
   */
  private Function<SqlConnection, Future<Void>> saleWrites(ClaimedLead claimed, Taken taken,
                                                           List<DeliveryOutbox.Item> copies) {
    Buyer buyer = taken.buyer();
    BuyerUsage.Reservation reservation = taken.reservation();
    boolean charged = Wallets.charges(buyer, claimed.test());
    // All sent at once (pipelined); the writes to rows every sale of this buyer shares (its usage
    // counters, its wallet) last, so that they are held only until the commit follows.
    return conn -> {
      Future<Void> queued = DeliveryOutbox.add(conn, claimed.leadId(), copies);
      Future<Void> contacts = screening.recordPurchase(conn, buyer, Contacts.of(claimed.lead()), claimed.test());
      Future<Void> counted = claimed.test() ? Future.succeededFuture()
          : usage.recordSale(conn, buyer, reservation != null && reservation.capacity(), reservation == null,
              taken.offer().price());
      Future<Void> debited = charged ? Wallets.debit(conn, claimed.leadId(), buyer) : Future.succeededFuture();
      return Future.join(queued, contacts, counted, debited).mapEmpty();
    };
  }

  /** After a sale's commit: the metrics and this instance's snapshot of the buyer's use count it. */
  private void counted(ClaimedLead claimed, Taken taken) {
    if (!claimed.test()) {
      usage.counted(taken.buyer(), taken.reservation() == null, taken.offer().price());
      metrics.revenue(taken.offer().price().cents());
      metrics.sale(taken.buyer().code());
    }
  }

  /**
   * Runs a write a buyer's acceptance depends on until it succeeds, pausing 100 ms doubling to 1 s
   * between tries, until {@code giveUpNanos} (the lease's end, after which another instance may
   * resolve the lead): then {@link SaleNotRecorded}. Lost leases are not retried.
   */
  private <T> Future<T> durably(Supplier<Future<T>> write, int attempt, long giveUpNanos) {
    return write.get().recover(e -> {
      long pause = Math.min(1_000L, 100L << Math.min(attempt, 4));
      if (e instanceof LeadStore.LeaseLost || System.nanoTime() + pause * 1_000_000L > giveUpNanos) {
        return Future.failedFuture(new SaleNotRecorded(e));
      }
      Promise<T> retried = Promise.promise();
      vertx.setTimer(pause, id -> durably(write, attempt + 1, giveUpNanos).onComplete(retried));
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
}
