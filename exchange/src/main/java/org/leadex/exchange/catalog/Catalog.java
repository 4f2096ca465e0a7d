package org.leadex.exchange.catalog;

import java.util.Map;
import java.util.Optional;

/**
 * One immutable snapshot of everything the admin configured: sellers, buyers, campaigns and live
 * API keys. A ping reads one snapshot from start to end, so a change made meanwhile applies from
 * the next ping on. Thread safe (immutable).
 */
public record Catalog(long version, Map<String, Seller> sellers, Map<String, Buyer> buyers,
                      Map<Integer, Buyer> buyersById, Map<String, Campaign> campaigns,
                      Map<Integer, Campaign> campaignsById, Map<String, Principal> keysByHash) {

  public static final Catalog EMPTY = new Catalog(0, Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of());

  public Optional<Seller> seller(String code) {
    return Optional.ofNullable(sellers.get(code));
  }

  public Optional<Buyer> buyer(String code) {
    return Optional.ofNullable(buyers.get(code));
  }

  public Optional<Campaign> campaign(String code) {
    return Optional.ofNullable(campaigns.get(code));
  }
}
