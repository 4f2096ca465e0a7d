package org.leadex.exchange.compliance;

import java.util.Set;
import org.leadex.exchange.catalog.Buyer;

/**
 * What a lead's contacts rule out before it is offered: the whole lead, when the campaign sold the
 * same phone or e-mail within its dedupe window ({@code duplicate}), or single buyers, that
 * suppressed it or bought it within their own {@code dedupe_days} (traced {@code suppressed}).
 * Immutable.
 */
public record ContactScreen(boolean duplicate, Set<Integer> excludedBuyers) {
  /** A lead whose contacts are not known yet (a ping without hashes): nothing is ruled out. */
  public static final ContactScreen NONE = new ContactScreen(false, Set.of());

  public boolean excludes(Buyer buyer) {
    return excludedBuyers.contains(buyer.id());
  }
}
