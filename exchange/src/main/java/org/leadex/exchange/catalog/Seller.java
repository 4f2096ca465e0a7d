package org.leadex.exchange.catalog;

import java.util.Optional;
import org.leadex.exchange.json.DocReader;

/**
 * A seller (publisher) of leads, as the admin configured it: how it is paid, and optionally how
 * fast it may call (else the exchange's default) and from which addresses its keys work.
 */
public record Seller(int id, String code, String name, Payout payout, Optional<RateLimit> rateLimit,
                     AddressAllowList allowedIps) {

  public Seller(int id, String code, String name, Payout payout) {
    this(id, code, name, payout, Optional.empty(), AddressAllowList.ANY);
  }

  /** Reads and validates an admin document; {@code id} is the database's compact id. */
  public static Seller read(int id, String code, DocReader doc) {
    String name = doc.string("name", 200);
    Payout payout = Payout.read(doc.object("payout"));
    Optional<RateLimit> rateLimit = doc.optObject("rate_limit").map(RateLimit::read);
    AddressAllowList allowedIps = AddressAllowList.read(doc, "allowed_ips");
    doc.done();
    return new Seller(id, code, name, payout, rateLimit, allowedIps);
  }
}
