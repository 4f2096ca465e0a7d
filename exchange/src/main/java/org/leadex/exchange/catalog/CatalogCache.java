package org.leadex.exchange.catalog;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The current catalog snapshot of this instance. It reloads when another instance notifies a change
 * on channel {@code catalog}, and polls the version every second in case a notification was missed
 * (a dropped listener connection). Thread safe: readers take the volatile snapshot.
 */
public final class CatalogCache {
  private static final Logger LOG = Logger.getLogger(CatalogCache.class.getName());

  private final Vertx vertx;
  private final CatalogStore store;
  private final PgSubscriber subscriber;
  private final AtomicBoolean reloading = new AtomicBoolean();
  private volatile Catalog current = Catalog.EMPTY;
  private final java.util.List<java.util.function.Consumer<Catalog>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
  private long pollTimer = -1;

  public CatalogCache(Vertx vertx, CatalogStore store, PgConnectOptions connectOptions) {
    this.vertx = vertx;
    this.store = store;
    this.subscriber = PgSubscriber.subscriber(vertx, connectOptions)
        .reconnectPolicy(retries -> 500L);
  }

  public Catalog current() {
    return current;
  }

  /** Calls {@code listener} with every new snapshot (on the thread that loaded it). */
  public void onChange(java.util.function.Consumer<Catalog> listener) {
    listeners.add(listener);
  }

  public Future<Void> start() {
    subscriber.channel("catalog").handler(payload -> reloadIfBehind(Long.parseLong(payload)));
    return subscriber.connect()
        .compose(v -> reload())
        .onSuccess(v -> pollTimer = vertx.setPeriodic(1000, id -> store.version()
            .onSuccess(this::reloadIfBehind)
            .onFailure(e -> LOG.log(Level.FINE, "catalog version poll failed", e))))
        .mapEmpty();
  }

  /** Loads the catalog now; admin writes call this before answering, so their next ping sees it. */
  public Future<Catalog> reload() {
    return store.load().onSuccess(catalog -> {
      boolean changed;
      synchronized (this) {
        changed = catalog.version() > current.version();
        if (catalog.version() >= current.version()) {
          current = catalog;
        }
      }
      if (changed) {
        listeners.forEach(listener -> listener.accept(catalog));
      }
    });
  }

  private void reloadIfBehind(long version) {
    if (version > current.version() && reloading.compareAndSet(false, true)) {
      reload().onComplete(ar -> {
        reloading.set(false);
        if (ar.failed()) {
          LOG.log(Level.WARNING, "catalog reload failed", ar.cause());
        }
      });
    }
  }

  public Future<Void> close() {
    if (pollTimer >= 0) {
      vertx.cancelTimer(pollTimer);
    }
    return subscriber.close();
  }
}
