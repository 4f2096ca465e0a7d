package org.leadex.exchange.ledger;

import java.time.Instant;
import java.util.UUID;

/** A ping as its post reads it back: who sent it, its non-PII lead, and its stored offers. */
public record StoredPing(UUID id, Instant receivedAt, int campaignId, int sellerId, String source, boolean test,
                         String leadJson, String offersJson, String subId) {}
