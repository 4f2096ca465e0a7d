package org.leadex.exchange.auction;

import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.List;
import java.util.Optional;
import org.leadex.exchange.buyers.BidClient;
import org.leadex.exchange.catalog.Buyer;
import org.leadex.exchange.catalog.Campaign;
import org.leadex.exchange.catalog.Tier;
import org.leadex.exchange.compliance.ContactScreen;
import org.leadex.exchange.leads.ScoringRule;
import org.leadex.exchange.ledger.BuyerUsage;
import org.leadex.exchange.ledger.ReturnRates;
import org.leadex.exchange.routing.BuyerCounters;
import org.leadex.exchange.routing.DistributionPlan;
import org.leadex.exchange.routing.Funds;
import org.leadex.exchange.routing.Rotation;

/**
 * Runs one ping: scores the lead, asks every eligible bidding buyer of every tier at once (the
 * quote needs the best offer in offer order, so no tier waits for another), takes fixed prices as
 * they are, and decides the offers when the last buyer has answered or its deadline has passed.
 *
 * <p>Event-loop confined: call on the ping's event loop; completes by the ping's deadline.
 */
public final class PingAuction {
  private final BidClient bidClient;
  private final BuyerUsage usage;
  private final ReturnRates returnRates;
  private final Clock clock;
  private final Funds funds;

  public PingAuction(BidClient bidClient, BuyerUsage usage, ReturnRates returnRates, Clock clock) {
    this(bidClient, usage, returnRates, clock, Funds.UNLIMITED);
  }

  /** @param funds prepaid buyers' wallets as this instance sees them (an offer they cannot cover is dropped) */
  public PingAuction(BidClient bidClient, BuyerUsage usage, ReturnRates returnRates, Clock clock, Funds funds) {
    this.bidClient = bidClient;
    this.usage = usage;
    this.returnRates = returnRates;
    this.clock = clock;
    this.funds = funds;
  }

  public Future<PingResult> run(PingRequest ping) {
    return run(ping, ContactScreen.NONE);
  }

  /** Runs the ping without the buyers {@code screen} rules out by the lead's contacts (traced {@code suppressed}). */
  public Future<PingResult> run(PingRequest ping, ContactScreen screen) {
    Campaign campaign = ping.campaign();
    int score = ScoringRule.score(campaign.scoring(), ping.lead());
    Instant now = clock.instant();
    BidRequest request = null;
    BidClient.Round round = bidClient.round();
    List<Future<BidResult>> results = new ArrayList<>();
    long firstCall = 0;
    for (int t = 0; t < campaign.tiers().size(); t++) {
      Tier tier = campaign.tiers().get(t);
      for (String code : tier.buyers()) {
        Optional<Buyer> found = ping.catalog().buyer(code);
        if (found.isEmpty()) {
          continue; // campaigns only name existing buyers; a race with a new catalog at worst skips one
        }
        Buyer buyer = found.get();
        BuyerCounters used = ping.test() ? BuyerCounters.ZERO : usage.counters(buyer, now);
        Optional<String> skip = DistributionPlan.skipReason(buyer, ping.lead(), score, now, used);
        if (skip.isEmpty() && screen.excludes(buyer)) {
          skip = Optional.of("suppressed");
        }
        if (skip.isPresent()) {
          results.add(Future.succeededFuture(BidResult.skipped(buyer, t, skip.get())));
        } else if (buyer.bids()) {
          if (request == null) {
            request = new BidRequest(ping, score);
            firstCall = System.nanoTime();
          }
          results.add(bidClient.call(round, buyer, t, request, ping.deadline()));
        } else {
          results.add(Future.succeededFuture(BidResult.fixedPrice(buyer, t, buyer.fixedPrice().orElseThrow())));
        }
      }
    }
    long waitFrom = firstCall;
    return Future.join(results).map(all -> {
      long buyerWait = waitFrom == 0 ? 0 : System.nanoTime() - waitFrom;
      round.settle();
      List<BidResult> answered = new ArrayList<>(results.size());
      for (Future<BidResult> result : results) {
        answered.add(result.result());
      }
      Decision decision = DistributionPlan.decide(campaign, ping.seller().payout(), answered,
          new Rotation(usage.lastSold(), ThreadLocalRandom.current(), returnRates.current(),
              ping.test() ? Funds.UNLIMITED : funds)); // test traffic does not touch wallets
      return new PingResult(ping, decision, decision.sellerPrice(ping.seller().payout()), buyerWait, false);
    });
  }
}
