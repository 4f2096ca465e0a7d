package org.leadex.exchange.metrics;

import io.vertx.core.Vertx;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How late each event loop runs, measured as the drift of a 10 ms timer on it: a loop that cannot
 * keep its own timers cannot keep a ping's deadline either. The figure kept per loop is a decaying
 * maximum (95 % of the figure is kept per 10 ms that pass, a half-life of about 135 ms, or the new
 * drift if larger), so one long stall stays visible for a few hundred milliseconds. The decay goes by elapsed time, not by ticks,
 * because a periodic timer catches up after a stall with a burst of ticks that would otherwise wipe
 * the stall out at once. Thread safe: each loop writes its own entry.
 */
public final class LoopLag {
  private static final long TICK_MILLIS = 10;

  private final ConcurrentHashMap<Thread, Lag> byThread = new ConcurrentHashMap<>();

  private static final class Lag {
    volatile long millis;
    /** The largest drift since {@link #takeWindowMaxMillis} last read it (not decayed). */
    volatile long windowMax;
    long expectedNanos;
    long lastTickNanos;
  }

  /** Starts watching the event loop this is called on. Call on an event loop. */
  public void watchCurrentLoop(Vertx vertx) {
    Lag lag = byThread.computeIfAbsent(Thread.currentThread(), t -> new Lag());
    lag.lastTickNanos = System.nanoTime();
    lag.expectedNanos = lag.lastTickNanos + TICK_MILLIS * 1_000_000;
    vertx.setPeriodic(TICK_MILLIS, id -> {
      long now = System.nanoTime();
      long drift = Math.max(0, (now - lag.expectedNanos) / 1_000_000);
      double ticksElapsed = (now - lag.lastTickNanos) / (TICK_MILLIS * 1_000_000.0);
      long decayed = (long) (lag.millis * Math.pow(0.95, ticksElapsed));
      lag.lastTickNanos = now;
      lag.expectedNanos = now + TICK_MILLIS * 1_000_000;
      lag.millis = Math.max(drift, decayed);
      if (drift > lag.windowMax) {
        lag.windowMax = drift;
      }
    });
  }

  /** The lag of the loop running the caller, in milliseconds; 0 for a thread not watched. */
  public long currentMillis() {
    Lag lag = byThread.get(Thread.currentThread());
    return lag == null ? 0 : lag.millis;
  }

  /**
   * The largest drift any watched loop showed since the last call, undecayed, and starts a new window:
   * the signal of an admission control that acts per interval. A drift straddling the call may be
   * seen in the next window instead (harmless: it is seen once).
   */
  public long takeWindowMaxMillis() {
    long max = 0;
    for (Lag lag : byThread.values()) {
      max = Math.max(max, lag.windowMax);
      lag.windowMax = 0;
    }
    return max;
  }

  /** The largest lag of any watched loop, in milliseconds. */
  public long maxMillis() {
    long max = 0;
    for (Lag lag : byThread.values()) {
      max = Math.max(max, lag.millis);
    }
    return max;
  }
}
