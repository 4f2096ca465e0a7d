package org.leadex.exchange.auction;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.leadex.exchange.json.Json;
import org.leadex.exchange.ledger.PingRecord;
import org.leadex.exchange.money.Money;

/**
 * A decided ping: its request, the decision, and the seller's quote on the first offer (or on the
 * first offers together, for a shared lead);
 * {@code duplicate} when its hashes showed a lead the campaign already sold (no buyer was asked).
 *
 * @param buyerWaitNanos how long the ping waited for its buyers: from the first bid request to the
 *                       last answer or deadline (0 when no buyer was called). The ping's time minus
 *                       this is what the exchange itself added.
 */
public record PingResult(PingRequest request, Decision decision, Optional<Money> sellerPrice, long buyerWaitNanos,
                         boolean duplicate) {

  public PingResult(PingRequest request, Decision decision, Optional<Money> sellerPrice) {
    this(request, decision, sellerPrice, 0, false);
  }

  /** A ping answered {@code no_bid} with reason {@code duplicate_lead}. */
  public static PingResult duplicateOf(PingRequest request) {
    return new PingResult(request, new Decision(List.of(), List.of()), Optional.empty(), 0, true);
  }

  public Instant expiresAt() {
    return request.receivedAt().plusSeconds(request.campaign().pingTtlSeconds());
  }

  /** What the ledger keeps of this ping, once the answer has gone out. */
  public PingRecord record(long answeredMicros) {
    return new PingRecord(request.pingId(), request.receivedAt(), request.campaign().id(), request.seller().id(),
        request.source(), request.test(), request.direct(), decision.price().orElse(null), sellerPrice.orElse(null),
        answeredMicros, Json.text(request.lead()), decision.offers(), decision.results(), request.subId(),
        request.hashes(), decision.sharedBuyers(), request.catalog().version());
  }
}
