package org.leadex.exchange.catalog;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.leadex.exchange.api.ApiError;
import org.leadex.exchange.json.DocReader;

/** One step of a campaign's distribution plan: a mode and the buyers it offers the lead to. */
public record Tier(Mode mode, List<String> buyers) {

  public enum Mode {
    /** Every eligible buyer bids at once; offers go in descending price order. */
    AUCTION,
    /** Buyers in the listed order, each at its own price. */
    WATERFALL
  }

  public static Tier read(DocReader doc) {
    String mode = doc.string("mode", 32);
    Mode parsed = switch (mode) {
      case "auction" -> Mode.AUCTION;
      case "waterfall" -> Mode.WATERFALL;
      case "round_robin", "weighted" -> throw ApiError.validation(doc.path("mode"),
          doc.path("mode") + " '" + mode + "' is not supported by this version of the exchange yet");
      default -> throw ApiError.validation(doc.path("mode"), doc.path("mode") + " must be auction or waterfall");
    };
    List<String> buyers = doc.list("buyers", 500, e -> CatalogId.require(e.string(64), e.path()));
    if (buyers.isEmpty()) {
      throw ApiError.validation(doc.path("buyers"), doc.path("buyers") + " must list at least one buyer");
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < buyers.size(); i++) {
      if (!seen.add(buyers.get(i))) {
        throw ApiError.validation(doc.path("buyers") + "[" + i + "]", "buyer '" + buyers.get(i) + "' is listed twice");
      }
    }
    doc.done();
    return new Tier(parsed, buyers);
  }
}
