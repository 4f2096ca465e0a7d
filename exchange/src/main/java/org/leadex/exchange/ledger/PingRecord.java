package org.leadex.exchange.ledger;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.leadex.exchange.auction.BidResult;
import org.leadex.exchange.auction.Offer;
import org.leadex.exchange.leads.Contacts;
import org.leadex.exchange.money.Money;

/**
 * Everything recorded about one ping: who sent it, what was quoted, every buyer's result and the
 * ordered offers its post will walk. {@code receivedAt} is the millisecond in the ping's id.
 * {@code leadJson} holds the non-PII fields only; {@code hashes} the seller's contact hashes, if any;
 * {@code sharedBuyers} 0 for an exclusive sale, else how many buyers the lead may be shared with;
 * {@code planVersion} the catalog version its decision used (a replay decides it again under that plan).
 * Immutable.
 */
public record PingRecord(UUID id, Instant receivedAt, int campaignId, int sellerId, String source, boolean test,
                         boolean direct, Money price, Money sellerPrice, long answeredMicros, String leadJson,
                         List<Offer> offers, List<BidResult> results, String subId, Contacts hashes,
                         int sharedBuyers, long planVersion) {

  public PingRecord(UUID id, Instant receivedAt, int campaignId, int sellerId, String source, boolean test,
                    boolean direct, Money price, Money sellerPrice, long answeredMicros, String leadJson,
                    List<Offer> offers, List<BidResult> results, String subId, Contacts hashes, int sharedBuyers) {
    this(id, receivedAt, campaignId, sellerId, source, test, direct, price, sellerPrice, answeredMicros, leadJson,
        offers, results, subId, hashes, sharedBuyers, 0);
  }

  public PingRecord(UUID id, Instant receivedAt, int campaignId, int sellerId, String source, boolean test,
                    boolean direct, Money price, Money sellerPrice, long answeredMicros, String leadJson,
                    List<Offer> offers, List<BidResult> results, String subId, Contacts hashes) {
    this(id, receivedAt, campaignId, sellerId, source, test, direct, price, sellerPrice, answeredMicros, leadJson,
        offers, results, subId, hashes, 0);
  }

  public PingRecord(UUID id, Instant receivedAt, int campaignId, int sellerId, String source, boolean test,
                    boolean direct, Money price, Money sellerPrice, long answeredMicros, String leadJson,
                    List<Offer> offers, List<BidResult> results, String subId) {
    this(id, receivedAt, campaignId, sellerId, source, test, direct, price, sellerPrice, answeredMicros, leadJson,
        offers, results, subId, Contacts.NONE);
  }

  public boolean bid() {
    return price != null;
  }
}
