package org.leadex.exchange.delivery;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.UUID;
import org.leadex.exchange.auction.Offer;
import org.leadex.exchange.catalog.Campaign;
import org.leadex.exchange.catalog.Catalog;
import org.leadex.exchange.catalog.Seller;
import org.leadex.exchange.compliance.ConsentVerdict;

/**
 * One claimed lead to deliver ({@link LeadDelivery#deliver}). {@code lead} holds every field, PII
 * included. {@code sharedBuyers}: 0 to sell it to one buyer, else to up to that many (its ping
 * decided to share it). {@code consent}: its consent check's verdict, once checked, which goes to
 * each buyer with the post. {@code firstOfferLeasedAt}: the {@code System.nanoTime()} before a claim
 * that leased the lead for its first offer and marked that offer sent
 * ({@link LeadDelivery#firstOfferAtClaim}), else -1.
 */
public record ClaimedLead(UUID leadId, UUID pingId, boolean test, Catalog catalog, Campaign campaign, Seller seller,
                          List<Offer> offers, ObjectNode lead, String source, int sharedBuyers, ConsentVerdict consent,
                          long firstOfferLeasedAt) {

  public ClaimedLead(UUID leadId, UUID pingId, boolean test, Catalog catalog, Campaign campaign, Seller seller,
                     List<Offer> offers, ObjectNode lead, String source, int sharedBuyers) {
    this(leadId, pingId, test, catalog, campaign, seller, offers, lead, source, sharedBuyers, null, -1);
  }

  /** A lead sold exclusively. */
  public ClaimedLead(UUID leadId, UUID pingId, boolean test, Catalog catalog, Campaign campaign, Seller seller,
                     List<Offer> offers, ObjectNode lead, String source) {
    this(leadId, pingId, test, catalog, campaign, seller, offers, lead, source, 0);
  }

  /** This lead with its consent check's verdict. */
  ClaimedLead withConsent(ConsentVerdict verdict) {
    return new ClaimedLead(leadId, pingId, test, catalog, campaign, seller, offers, lead, source, sharedBuyers, verdict,
        firstOfferLeasedAt);
  }

  /** This lead, its claim having leased it for its first offer at {@code nanos}. */
  ClaimedLead withFirstOfferLeasedAt(long nanos) {
    return new ClaimedLead(leadId, pingId, test, catalog, campaign, seller, offers, lead, source, sharedBuyers, consent,
        nanos);
  }
}
