package org.leadex.exchange.replay;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One ping as the ledger recorded it, everything a replay needs to decide it again: the plan
 * version it was decided under, its non-PII lead, every buyer's result, the offers in the order they
 * were made, and, if it was posted, how each buyer offered the lead answered and who bought it.
 *
 * @param sharedBuyers 0: sold exclusively; else shared with up to that many
 * @param post         null when the ping was never posted
 */
record RecordedPing(UUID id, Instant receivedAt, int sellerId, long planVersion, ObjectNode lead,
                    List<Bid> bids, List<Offer> offers, int sharedBuyers, Post post) {

  /** A buyer's result: its outcome code (auction/BidOutcome), bid, detail, ranking rate and shared bid. */
  record Bid(int buyerId, int tier, short outcome, Integer bidCents, String detail, Integer returnRateBasisPoints,
             Integer sharedBidCents) {}

  record Offer(int buyerId, int tier, long priceCents) {}

  /**
   * What became of the post: the lead's status and reason, each buyer's answer to its offer
   * (accepted or not; an offer never sent because of a cap, a pause or a suppression counts as not
   * accepted), and its sales.
   */
  record Post(String status, String reason, Map<Integer, Boolean> answers, List<Sale> sales) {}

  record Sale(int buyerId, long priceCents, long payoutCents) {}
}
