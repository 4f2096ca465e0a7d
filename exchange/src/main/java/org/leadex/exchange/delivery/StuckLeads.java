package org.leadex.exchange.delivery;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.leadex.exchange.auction.Offer;
import org.leadex.exchange.billing.Wallets;
import org.leadex.exchange.catalog.Campaign;
import org.leadex.exchange.catalog.Catalog;
import org.leadex.exchange.catalog.CatalogCache;
import org.leadex.exchange.catalog.Payout;
import org.leadex.exchange.catalog.Seller;
import org.leadex.exchange.json.Json;
import org.leadex.exchange.ledger.BuyerUsage;
import org.leadex.exchange.ledger.DedupeStore;
import org.leadex.exchange.ledger.LeadStore;
import org.leadex.exchange.ledger.OffersJson;
import org.leadex.exchange.ledger.PingStore;
import org.leadex.exchange.ledger.PostAttempt;
import org.leadex.exchange.ledger.StoredPing;
import org.leadex.exchange.money.Money;

/**
 * Resolves leads left {@code delivering} by an instance that died (or lost the database for longer
 * than its lease): every instance looks every two seconds for leads whose lease expired, takes them
 * over ({@code for update skip locked}, so one instance takes each) and settles them:
 *
 * <ul>
 *   <li>a sale already committed: the lead is sold; its answer is rebuilt from the sale;</li>
 *   <li>no offer ever sent: the lead is delivered again from its first offer, on this instance (no
 *       buyer has seen it, so nothing can be sold twice);</li>
 *   <li>an offer possibly in a buyer's hands (sent, no answer recorded): the buyer may have accepted
 *       a lead we never recorded as sold. Offering it to the next buyer could sell it twice, and
 *       recording a sale could bill a buyer who declined, so it is closed {@code unsold} with reason
 *       {@code error}, the interrupted offer recorded with reason {@code interrupted} for operators
 *       to settle with that buyer (docs/decisions.md).</li>
 * </ul>
 * Any cap unit, wallet reservation or dedupe claim the lead held is given back with its unsold answer. A repeat post of a
 * stuck lead calls {@link #resolve(UUID)} rather than wait for the next sweep.
 *
 * <p>Thread safe; the sweep runs on one Vert.x context.
 */
public final class StuckLeads {
  private static final Logger LOG = Logger.getLogger(StuckLeads.class.getName());
  private static final long SWEEP_MILLIS = 2_000;
  private static final int BATCH = 20;

  private final Vertx vertx;
  private final LeadStore leads;
  private final PingStore pings;
  private final BuyerUsage usage;
  private final DedupeStore dedupe;
  private final LeadDelivery delivery;
  private final CatalogCache catalog;
  private final Clock clock;
  private final AtomicBoolean sweeping = new AtomicBoolean();
  private volatile long timer = -1;
  private volatile boolean stopped;

  public StuckLeads(Vertx vertx, LeadStore leads, PingStore pings, BuyerUsage usage, DedupeStore dedupe,
                    LeadDelivery delivery, CatalogCache catalog, Clock clock) {
    this.vertx = vertx;
    this.leads = leads;
    this.pings = pings;
    this.usage = usage;
    this.dedupe = dedupe;
    this.delivery = delivery;
    this.catalog = catalog;
    this.clock = clock;
  }

  /** Sweeps every two seconds from now on (the first sweep at a random moment, so instances spread out). */
  public void start() {
    vertx.setTimer(1 + ThreadLocalRandom.current().nextLong(SWEEP_MILLIS), first -> {
      if (!stopped) {
        sweep();
        timer = vertx.setPeriodic(SWEEP_MILLIS, id -> sweep());
      }
    });
  }

  /** No more sweeps (shutdown); deliveries already resumed finish or are taken over by another instance. */
  public void stop() {
    stopped = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  private void sweep() {
    if (stopped || !sweeping.compareAndSet(false, true)) {
      return;
    }
    String lease = delivery.newLease();
    leads.takeExpired(lease, delivery.leaseMarginMillis(), BATCH)
        .compose(stuck -> settleAll(stuck, lease))
        .onComplete(ar -> {
          sweeping.set(false);
          if (ar.failed()) {
            LOG.log(Level.FINE, "stuck-lead sweep failed", ar.cause());
          }
        });
  }

  /** Takes over this lead if its lease expired, and settles it. */
  public Future<Void> resolve(UUID leadId) {
    String lease = delivery.newLease();
    return leads.takeExpired(leadId, lease, delivery.leaseMarginMillis()).compose(stuck -> settleAll(stuck, lease));
  }

  /** Settles leads taken over under {@code lease} (one lease per take-over; a lead is in one take-over). */
  private Future<Void> settleAll(List<LeadStore.Stuck> stuck, String lease) {
    List<Future<Void>> settled = new ArrayList<>();
    for (LeadStore.Stuck s : stuck) {
      settled.add(settle(s, lease).onFailure(e -> {
        if (e instanceof LeadStore.LeaseLost) {
          LOG.info("stuck lead " + s.leadId() + " was taken over again before " + lease + " settled it");
        } else {
          LOG.log(Level.WARNING, "could not settle stuck lead " + s.leadId() + "; it is taken over again when "
              + lease + " expires", e);
        }
      }));
    }
    return Future.join(settled).mapEmpty();
  }

  private Future<Void> settle(LeadStore.Stuck s, String lease) {
    String from = "lead " + s.leadId() + " (ping " + s.pingId() + ") taken over from lease " + s.previousOwner()
        + " by " + lease;
    if (s.soldPayoutCents() != null) {
      LOG.info(from + ": its sale was recorded; answering sold");
      Money payout = Money.ofCents(s.soldPayoutCents());
      // a shared lead's fixed seller payout is set when the lead closes: this take-over closes it
      Money fixed = null;
      Seller seller = catalog.current().sellers().values().stream().filter(x -> x.id() == s.sellerId()).findFirst()
          .orElse(null);
      if (payout.cents() == 0 && seller != null && seller.payout() instanceof Payout.Fixed f) {
        fixed = f.amount();
        payout = fixed;
      }
      ObjectNode answer = Json.object();
      answer.put("lead_id", s.leadId().toString());
      answer.put("status", "sold");
      answer.put("price", payout.toDecimal());
      answer.put("buyers", s.buyers());
      return leads.soldAnswer(s.leadId(), lease, payout, Json.text(answer), fixed);
    }
    Catalog snapshot = catalog.current();
    return pings.find(s.pingId()).compose(found -> {
      Campaign campaign = snapshot.campaignsById().get(s.campaignId());
      Seller seller = snapshot.sellers().values().stream().filter(x -> x.id() == s.sellerId()).findFirst().orElse(null);
      if (found.isEmpty() || campaign == null || seller == null) {
        // a direct post's ping still in the dead instance's write batch, or a deleted campaign
        LOG.warning(from + ": its ping or campaign is gone; closing it unsold (error)");
        return close(s, lease, null);
      }
      StoredPing ping = found.get();
      List<Offer> offers = OffersJson.read(ping.offersJson(), snapshot);
      if (s.offering() != null) {
        Offer interrupted = s.offering() >= 0 && s.offering() < offers.size() ? offers.get(s.offering()) : null;
        LOG.warning(from + ": an offer" + (interrupted == null ? "" : " to buyer " + interrupted.buyerCode())
            + " may have reached its buyer unrecorded; closing it unsold (error), offered to nobody else");
        return close(s, lease, interrupted);
      }
      LOG.info(from + ": no buyer had seen it; delivering it from its first offer");
      ObjectNode lead = (ObjectNode) Json.parse(ping.leadJson());
      if (s.piiJson() != null) {
        lead.setAll((ObjectNode) Json.parse(s.piiJson()));
      }
      return delivery.deliver(new ClaimedLead(s.leadId(), s.pingId(), s.test(), snapshot, campaign, seller,
          offers, lead, ping.source(), ping.sharedBuyers()), lease).mapEmpty();
    });
  }

  private Future<Void> close(LeadStore.Stuck s, String lease, Offer interrupted) {
    ObjectNode answer = Json.object();
    answer.put("lead_id", s.leadId().toString());
    answer.put("status", "unsold");
    answer.put("reason", "error");
    List<PostAttempt> attempts = interrupted == null ? List.of()
        : List.of(new PostAttempt(interrupted.buyerId(), interrupted.buyerCode(), interrupted.price(), false, 0,
            "interrupted: the exchange instance stopped while this buyer had the post", null, clock.instant()));
    return leads.unsold(s.leadId(), lease, "error", attempts, Json.text(answer),
        conn -> dedupe.release(conn, s.leadId()).compose(v -> usage.releaseHeld(conn, s.leadId()))
            .compose(v -> Wallets.releaseHeld(conn, s.leadId())));
  }
}
