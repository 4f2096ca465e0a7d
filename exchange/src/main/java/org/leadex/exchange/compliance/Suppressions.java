package org.leadex.exchange.compliance;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.leadex.exchange.leads.Contacts;

/**
 * Every buyer's suppression list, in memory on this instance, looked up in O(1) on the ping path.
 * Loaded before the instance says ready, and reloaded when the catalog version moves (an upload on
 * any instance bumps it and notifies; {@code CatalogCache} also polls it every second, so a missed
 * notification costs at most a second). A list being reloaded stays in force until its replacement
 * is built; building (up to a second for 10 million hashes) runs on a worker thread.
 *
 * <p>Thread safe: readers see whole lists.
 */
public final class Suppressions {
  private static final Logger LOG = Logger.getLogger(Suppressions.class.getName());

  private final Vertx vertx;
  private final SuppressionStore store;
  private final Map<Integer, SuppressionList> lists = new ConcurrentHashMap<>();
  private final Map<Integer, Long> versions = new ConcurrentHashMap<>();
  private boolean refreshing;
  private boolean again;

  public Suppressions(Vertx vertx, SuppressionStore store) {
    this.vertx = vertx;
    this.store = store;
  }

  public Future<Void> start() {
    return refreshOnce();
  }

  /** Whether the buyer suppressed the lead's phone or e-mail. */
  public boolean suppressed(int buyerId, Contacts contacts) {
    SuppressionList list = lists.get(buyerId);
    if (list == null || contacts.isEmpty()) {
      return false;
    }
    return contacts.phone().map(h -> list.contains(ContactHashes.prefix(h))).orElse(false)
        || contacts.email().map(h -> list.contains(ContactHashes.prefix(h))).orElse(false);
  }

  /** The list this instance holds for a buyer (hashes and bytes, for the upload's answer and docs). */
  public Optional<SuppressionList> list(int buyerId) {
    return Optional.ofNullable(lists.get(buyerId));
  }

  /** Installs a list this instance just stored, sparing it the reload the notification asks for. */
  public Future<SuppressionList> install(int buyerId, long version, long[] sortedPrefixes) {
    return build(sortedPrefixes).map(list -> {
      synchronized (this) {
        if (versions.getOrDefault(buyerId, -1L) < version) {
          lists.put(buyerId, list);
          versions.put(buyerId, version);
        }
      }
      return list;
    });
  }

  /** Reloads the lists whose version changed; called on every catalog change. */
  public void refresh() {
    synchronized (this) {
      if (refreshing) {
        again = true;
        return;
      }
      refreshing = true;
    }
    refreshOnce().onComplete(ar -> {
      boolean repeat;
      synchronized (this) {
        refreshing = false;
        repeat = again || ar.failed();
        again = false;
      }
      if (ar.failed()) {
        LOG.log(Level.WARNING, "suppression lists reload failed; retrying in 1 s", ar.cause());
        vertx.setTimer(1_000, id -> refresh());
      } else if (repeat) {
        refresh();
      }
    });
  }

  private Future<Void> refreshOnce() {
    return store.listed().compose(listed -> {
      Future<Void> chain = Future.succeededFuture();
      for (Map.Entry<Integer, SuppressionStore.Listed> entry : new HashMap<>(listed).entrySet()) {
        int buyerId = entry.getKey();
        SuppressionStore.Listed wanted = entry.getValue();
        if (versions.getOrDefault(buyerId, -1L) >= wanted.version()) {
          continue;
        }
        chain = chain.compose(v -> store.load(buyerId, wanted).compose(prefixes -> prefixes.isPresent()
            ? install(buyerId, wanted.version(), prefixes.get()).<Void>mapEmpty()
            // replaced while read: the newer upload's notification reloads it
            : Future.<Void>failedFuture(new IllegalStateException("suppression list of buyer " + buyerId
                + " was replaced while it was read"))));
      }
      return chain;
    });
  }

  private Future<SuppressionList> build(long[] prefixes) {
    return vertx.executeBlocking(() -> SuppressionList.of(prefixes, prefixes.length), false);
  }
}
