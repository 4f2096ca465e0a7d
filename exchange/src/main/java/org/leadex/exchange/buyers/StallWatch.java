package org.leadex.exchange.buyers;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Tells when a buyer has stopped answering: it has answered before, {@value #MIN_CALLS_OUT} or more
 * of its bid calls are out, and not one call to it has ended with an answer for {@value
 * #SILENCE_MILLIS} ms. New calls to such a buyer are not sent until one answers or its calls out
 * end by their deadlines.
 *
 * <p>Why: when a buyer starts hanging, its circuit breaker can open only once its calls have timed
 * out, one ping deadline later. Until then every ping sends it one more call, each call holds a
 * connection, and each needs a new one: in a buyer storm (half the buyers hanging at once at 300
 * pings/s) that was 550–800 new connections in the storm's first second, and the CPU they cost made
 * 80–110 answers to sellers late. A buyer that answers keeps resetting the silence: at any rate where
 * it has {@value #MIN_CALLS_OUT} calls out it answers many times in {@value #SILENCE_MILLIS} ms, and
 * its ordinary hangs (a few per cent of calls) do not stop the others' answers. A busy period that
 * starts after a quiet one starts the silence afresh, so a slow buyer's first answers are waited for.
 * A buyer that has never answered is left to its circuit breaker: the first answers of a buyer
 * just registered, or of every buyer when the exchange has just started (connections to open, a
 * cold JIT), may take longer than the silence, and "stopped answering" needs answers to stop.
 *
 * <p>Thread safe: the event loops share one watch per buyer. The count and the time are read and
 * written without a lock; a race costs one call sent or held back, never a wrong count for long.
 */
final class StallWatch {
  static final int MIN_CALLS_OUT = 8;
  static final long SILENCE_MILLIS = 100;
  private static final long SILENCE_NANOS = SILENCE_MILLIS * 1_000_000L;

  private final AtomicInteger out = new AtomicInteger();
  /** When the buyer last answered, or when its calls out went from none to one. */
  private volatile long lastSignNanos;
  /** Until the buyer has answered once, it is never judged, so no start time is needed. */
  private volatile boolean answered;

  /** A call was sent. */
  void sent(long nowNanos) {
    if (out.getAndIncrement() == 0) {
      lastSignNanos = nowNanos;
    }
  }

  /**
   * A call ended, by the deadline ({@code answered} false) or otherwise: an answer, an error
   * status, a transport failure (the buyer is not silent, and such calls do not linger).
   */
  void ended(long nowNanos, boolean answered) {
    out.decrementAndGet();
    if (answered) {
      lastSignNanos = nowNanos;
      this.answered = true;
    }
  }

  /** Whether the buyer, having answered before, has gone silent with calls out. */
  boolean stalled(long nowNanos) {
    return answered && out.get() >= MIN_CALLS_OUT && nowNanos - lastSignNanos > SILENCE_NANOS;
  }

  /** The calls out now. */
  int callsOut() {
    return out.get();
  }

  /** Milliseconds since the buyer's last sign of life. */
  long silentMillis(long nowNanos) {
    return (nowNanos - lastSignNanos) / 1_000_000L;
  }
}
