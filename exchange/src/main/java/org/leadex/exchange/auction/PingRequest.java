package org.leadex.exchange.auction;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.UUID;
import org.leadex.exchange.catalog.Campaign;
import org.leadex.exchange.catalog.Catalog;
import org.leadex.exchange.catalog.Seller;
import org.leadex.exchange.leads.Contacts;

/**
 * A validated ping, ready to auction: the catalog snapshot it is decided under, its seller and
 * campaign, its non-PII lead, its deadline (made when the request arrived) and the seller's
 * optional sub-source; the hashes of its phone and e-mail when the seller sent them ({@link Contacts#NONE}
 * otherwise). Immutable.
 */
public record PingRequest(UUID pingId, Instant receivedAt, Catalog catalog, Seller seller, Campaign campaign,
                          String source, boolean test, boolean direct, ObjectNode lead, Deadline deadline,
                          String subId, Contacts hashes) {}
