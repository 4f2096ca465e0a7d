package org.leadex.exchange.compliance;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.leadex.exchange.catalog.Buyer;
import org.leadex.exchange.catalog.Campaign;
import org.leadex.exchange.catalog.Catalog;
import org.leadex.exchange.catalog.Tier;
import org.leadex.exchange.leads.Contacts;
import org.leadex.exchange.ledger.DedupeStore;

/**
 * Screens a lead by its contacts: the campaign's dedupe window, each buyer's suppression list
 * (memory, O(1)) and each buyer's {@code dedupe_days} (one indexed query for all its buyers). At
 * ping time when the ping carried hashes (or for a direct post, whose PII is at hand); otherwise per
 * offer at the post. Test leads are screened by suppression lists only: they never count toward
 * dedupe, so they are never anyone's duplicate. Thread safe.
 */
public final class ContactScreening {
  private final Suppressions suppressions;
  private final BuyerDedupe buyerDedupe;
  private final DedupeStore campaignDedupe;
  private final Clock clock;

  public ContactScreening(Suppressions suppressions, BuyerDedupe buyerDedupe, DedupeStore campaignDedupe, Clock clock) {
    this.suppressions = suppressions;
    this.buyerDedupe = buyerDedupe;
    this.campaignDedupe = campaignDedupe;
    this.clock = clock;
  }

  /**
   * The screen of a lead at ping time, over every buyer of the campaign's tiers. The database part
   * (campaign and buyer dedupe) gets {@code budgetMillis}: a ping answers within its deadline
   * whatever the database does. Past it, or when the database fails, the ping goes on with the
   * suppression lists only; nothing is lost, as the post checks both dedupes again.
   */
  public Future<ContactScreen> atPing(Catalog catalog, Campaign campaign, boolean test, Contacts contacts,
                                      long budgetMillis) {
    if (contacts.isEmpty()) {
      return Future.succeededFuture(ContactScreen.NONE);
    }
    Set<Integer> excluded = new HashSet<>();
    Map<Integer, Integer> windows = new HashMap<>();
    for (Tier tier : campaign.tiers()) {
      for (String code : tier.buyers()) {
        Optional<Buyer> buyer = catalog.buyer(code);
        if (buyer.isEmpty()) {
          continue;
        }
        if (suppressions.suppressed(buyer.get().id(), contacts)) {
          excluded.add(buyer.get().id());
        } else if (!test && buyer.get().dedupeDays() > 0) {
          windows.put(buyer.get().id(), buyer.get().dedupeDays());
        }
      }
    }
    Future<Boolean> duplicate = test ? Future.succeededFuture(false)
        : campaignDedupe.seen(campaign.id(), campaign.dedupeDays(), contacts);
    Future<Set<Integer>> bought = buyerDedupe.boughtRecently(windows, contacts, clock.instant());
    Set<Integer> suppressed = Set.copyOf(excluded);
    return Future.all(duplicate, bought)
        .timeout(Math.max(1, budgetMillis), TimeUnit.MILLISECONDS)
        .map(v -> {
          excluded.addAll(bought.result());
          return new ContactScreen(duplicate.result(), Set.copyOf(excluded));
        })
        .otherwise(e -> new ContactScreen(false, suppressed));
  }

  /**
   * Whether {@link #excludesAtPost} would answer no without a look at the database: no contacts, or
   * none on the buyer's suppression list and no dedupe window of its own to look in.
   */
  public boolean clearAtPostWithoutLooking(Buyer buyer, Contacts contacts, boolean test) {
    return answerWithoutLooking(buyer, contacts, test).equals(Optional.of(false));
  }

  /** Whether one offer of a post must be skipped ({@code suppressed}) for this buyer. */
  public Future<Boolean> excludesAtPost(Buyer buyer, Contacts contacts, boolean test) {
    Optional<Boolean> known = answerWithoutLooking(buyer, contacts, test);
    if (known.isPresent()) {
      return Future.succeededFuture(known.get());
    }
    return buyerDedupe.boughtRecently(Map.of(buyer.id(), buyer.dedupeDays()), contacts, clock.instant())
        .map(found -> !found.isEmpty());
  }

  /** The post-time answer when the suppression list or the lack of a dedupe window settles it; else empty. */
  private Optional<Boolean> answerWithoutLooking(Buyer buyer, Contacts contacts, boolean test) {
    if (contacts.isEmpty()) {
      return Optional.of(false);
    }
    if (suppressions.suppressed(buyer.id(), contacts)) {
      return Optional.of(true);
    }
    return test || buyer.dedupeDays() <= 0 ? Optional.of(false) : Optional.empty();
  }

  /** In the sale's transaction: the buyer bought the lead's contacts (test sales are not recorded). */
  public Future<Void> recordPurchase(SqlConnection conn, Buyer buyer, Contacts contacts, boolean test) {
    return test ? Future.succeededFuture() : buyerDedupe.recordPurchase(conn, buyer.id(), contacts, clock.instant());
  }
}
