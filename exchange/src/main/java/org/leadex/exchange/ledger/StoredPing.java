package org.leadex.exchange.ledger;

import java.time.Instant;
import java.util.UUID;
import org.leadex.exchange.leads.Contacts;

/**
 * A ping as its post reads it back: who sent it, its non-PII lead, its stored offers and contact
 * hashes, and how its lead is sold ({@code sharedBuyers}: 0 exclusive, else shared with up to that many).
 */
public record StoredPing(UUID id, Instant receivedAt, int campaignId, int sellerId, String source, boolean test,
                         String leadJson, String offersJson, String subId, Contacts hashes, int sharedBuyers) {}
