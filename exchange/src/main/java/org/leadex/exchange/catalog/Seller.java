package org.leadex.exchange.catalog;

import org.leadex.exchange.json.DocReader;

/** A seller (publisher) of leads, as the admin configured it. */
public record Seller(int id, String code, String name, Payout payout) {

  /** Reads and validates an admin document; {@code id} is the database's compact id. */
  public static Seller read(int id, String code, DocReader doc) {
    String name = doc.string("name", 200);
    Payout payout = Payout.read(doc.object("payout"));
    doc.done();
    return new Seller(id, code, name, payout);
  }
}
