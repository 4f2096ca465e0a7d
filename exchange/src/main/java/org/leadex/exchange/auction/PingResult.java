package org.leadex.exchange.auction;

import java.time.Instant;
import java.util.Optional;
import org.leadex.exchange.json.Json;
import org.leadex.exchange.ledger.PingRecord;
import org.leadex.exchange.money.Money;

/**
 * A decided ping: its request, the decision, and the seller's quote on the first offer.
 *
 * @param buyerWaitNanos how long the ping waited for its buyers: from the first bid request to the
 *                       last answer or deadline (0 when no buyer was called). The ping's time minus
 *                       this is what the exchange itself added.
 */
public record PingResult(PingRequest request, Decision decision, Optional<Money> sellerPrice, long buyerWaitNanos) {

  public Instant expiresAt() {
    return request.receivedAt().plusSeconds(request.campaign().pingTtlSeconds());
  }

  /** What the ledger keeps of this ping, once the answer has gone out. */
  public PingRecord record(long answeredMicros) {
    return new PingRecord(request.pingId(), request.receivedAt(), request.campaign().id(), request.seller().id(),
        request.source(), request.test(), request.direct(), decision.price().orElse(null), sellerPrice.orElse(null),
        answeredMicros, Json.text(request.lead()), decision.offers(), decision.results(), request.subId());
  }
}
