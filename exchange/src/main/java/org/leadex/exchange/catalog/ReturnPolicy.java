package org.leadex.exchange.catalog;

import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.leadex.exchange.api.ApiError;
import org.leadex.exchange.json.DocReader;

/**
 * A campaign's rules for buyers' returns: the window ({@code days} × 24 h from the sale), the
 * reasons a buyer may give (empty: any reason, which must still be given), whether an admin must
 * approve each return, and a monthly cap on the share of a buyer's purchases it may return.
 *
 * @param maxRatePercent empty: no cap. The cap counts, per calendar month (UTC) and campaign, the
 *                       buyer's returns (pending or approved) against its purchases, from its
 *                       {@link #RATE_CAP_FROM_PURCHASES}th purchase of the month on.
 */
public record ReturnPolicy(int days, Set<String> reasons, boolean manual, Optional<Integer> maxRatePercent) {
  public static final ReturnPolicy NONE = new ReturnPolicy(0, Set.of(), false, Optional.empty());
  /** Below this many purchases in a month, one return would be a large share: the cap waits. */
  public static final int RATE_CAP_FROM_PURCHASES = 20;

  /** The campaign's {@code returns} object, or the {@code return_days} shorthand (any reason, automatic). */
  static ReturnPolicy read(DocReader campaign) {
    int shorthand = campaign.integer("return_days", 0, 365, 0);
    Optional<DocReader> object = campaign.optObject("returns");
    if (object.isEmpty()) {
      return new ReturnPolicy(shorthand, Set.of(), false, Optional.empty());
    }
    DocReader doc = object.get();
    int days = doc.integer("days", 0, 365);
    Set<String> reasons = new LinkedHashSet<>(doc.list("reasons", 50, e -> e.string(64)));
    if (doc.has("reasons") && reasons.isEmpty()) {
      throw ApiError.validation(doc.path("reasons"), "reasons must name at least one reason (leave it out for any reason)");
    }
    String approval = doc.optString("approval", 16).orElse("auto");
    if (!approval.equals("auto") && !approval.equals("manual")) {
      throw ApiError.validation(doc.path("approval"), "approval is auto or manual");
    }
    Optional<Integer> rate = doc.optLong("max_rate_percent", 0, 100).map(Long::intValue);
    doc.done();
    return new ReturnPolicy(days, Set.copyOf(reasons), approval.equals("manual"), rate);
  }

  public boolean anyReason() {
    return reasons.isEmpty();
  }
}
