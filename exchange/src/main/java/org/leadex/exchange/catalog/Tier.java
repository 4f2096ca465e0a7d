package org.leadex.exchange.catalog;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.leadex.exchange.api.ApiError;
import org.leadex.exchange.json.DocReader;

/**
 * One step of a campaign's distribution plan: a mode and the buyers it offers the lead to, with a
 * weight for each (used by {@code weighted}; 1 otherwise).
 */
public record Tier(Mode mode, List<String> buyers, List<Integer> weights) {

  public enum Mode {
    /** Every eligible buyer bids at once; offers go in descending price order. */
    AUCTION,
    /** Buyers in the listed order, each at its own price. */
    WATERFALL,
    /** The buyer that has waited longest since its last sold lead first; never-sold ones in listed order. */
    ROUND_ROBIN,
    /** Buyers drawn at random in proportion to their weights. */
    WEIGHTED
  }

  public Tier(Mode mode, List<String> buyers) {
    this(mode, buyers, buyers.stream().map(b -> 1).toList());
  }

  public static Tier read(DocReader doc) {
    Mode mode = doc.optEnum("mode", Mode.class).orElseThrow(() -> doc.missing("mode"));
    List<String> buyers = new ArrayList<>();
    List<Integer> weights = new ArrayList<>();
    doc.list("buyers", 500, e -> {
      if (e.node().isObject()) {
        DocReader entry = e.object();
        buyers.add(CatalogId.require(entry.string("id", 64), entry.path("id")));
        weights.add(entry.integer("weight", 1, 1_000_000, 1));
        entry.done();
      } else {
        buyers.add(CatalogId.require(e.string(64), e.path()));
        weights.add(1);
      }
      return e;
    });
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
    return new Tier(mode, List.copyOf(buyers), List.copyOf(weights));
  }
}
