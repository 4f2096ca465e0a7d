package org.leadex.simulator.stats;

import java.util.concurrent.atomic.LongAdder;
import org.leadex.simulator.behaviour.BidDecision;

/**
 * Thread safe. One buyer's live counts: written by the event loop that serves the buyer, read by
 * whoever asks for a snapshot (the /stats endpoint, a test, the exit hook). A snapshot taken while
 * requests are in flight is a consistent-enough view, not an atomic one.
 */
public final class BuyerCounters {
  private final LongAdder bidRequests = new LongAdder();
  private final LongAdder bids = new LongAdder();
  private final LongAdder noBidChance = new LongAdder();
  private final LongAdder noBidPreference = new LongAdder();
  private final LongAdder noBidCapacity = new LongAdder();
  private final LongAdder hangs = new LongAdder();
  private final LongAdder error500 = new LongAdder();
  private final LongAdder malformed = new LongAdder();
  private final LongAdder trickle = new LongAdder();
  private final LongAdder reset = new LongAdder();
  private final LongAdder oversized = new LongAdder();
  private final LongAdder badRequests = new LongAdder();
  private final LongAdder posts = new LongAdder();
  private final LongAdder accepted = new LongAdder();
  private final LongAdder rejected = new LongAdder();
  private final LongAdder abandoned = new LongAdder();
  private final LongAdder postHangs = new LongAdder();
  private final LongAdder testPosts = new LongAdder();
  private final LongAdder chargedCents = new LongAdder();
  private final LongAdder testChargedCents = new LongAdder();
  private final LongAdder stormHangs = new LongAdder();
  private final LongAdder repeatedPosts = new LongAdder();

  /** Counts one decided bid request under its outcome. */
  public void bidRequest(BidDecision d) {
    bidRequests.increment();
    switch (d.outcome()) {
      case BID -> bids.increment();
      case NO_BID -> {
        switch (d.noBidReason()) {
          case CHANCE -> noBidChance.increment();
          case PREFERENCE -> noBidPreference.increment();
          case CAPACITY -> noBidCapacity.increment();
        }
      }
      case HANG -> hangs.increment();
      case ERROR_500 -> error500.increment();
      case MALFORMED -> malformed.increment();
      case TRICKLE -> trickle.increment();
      case RESET -> reset.increment();
      case OVERSIZED -> oversized.increment();
    }
  }

  /** A bid request left unanswered because a storm had this buyer hang (not a decision). */
  public void stormHang() {
    stormHangs.increment();
  }

  /** A post of a lead already posted to this buyer, answered as the first time (not a decision). */
  public void repeatedPost() {
    repeatedPosts.increment();
  }

  public void badRequest() {
    badRequests.increment();
  }

  public void post(boolean test) {
    posts.increment();
    if (test) {
      testPosts.increment();
    }
  }

  public void postHang() {
    postHangs.increment();
  }

  public void accepted(long priceCents, boolean test) {
    accepted.increment();
    (test ? testChargedCents : chargedCents).add(priceCents);
  }

  public void rejected() {
    rejected.increment();
  }

  public void abandoned() {
    abandoned.increment();
  }

  public BuyerStats snapshot() {
    return new BuyerStats(
        bidRequests.sum(),
        bids.sum(),
        new BuyerStats.NoBids(noBidChance.sum(), noBidPreference.sum(), noBidCapacity.sum()),
        hangs.sum(),
        new BuyerStats.Errors(error500.sum(), malformed.sum(), trickle.sum(), reset.sum(), oversized.sum()),
        badRequests.sum(),
        posts.sum(),
        accepted.sum(),
        rejected.sum(),
        abandoned.sum(),
        postHangs.sum(),
        testPosts.sum(),
        chargedCents.sum(),
        testChargedCents.sum(),
        stormHangs.sum(),
        repeatedPosts.sum());
  }
}
