package org.leadex.loadtest.reference;

import java.util.function.LongConsumer;

/**
 * One ping's wait for its buyers: it ends when every buyer has answered or when the deadline
 * passes, whichever comes first, and then hands over the best bid exactly once.
 *
 * <p>Threading: event-loop confined (the ping's server connection's loop, which is also where its
 * buyer calls complete). Pure apart from that: time arrives as a call to {@link #deadlinePassed}.
 *
 * <p>Best bid: the highest price; between equal prices, the first to arrive.
 */
final class FanOut {
  static final long NO_BID = -1;

  private final int buyers;
  private final LongConsumer onEnd;
  private int settled;
  private long bestCents = NO_BID;
  private boolean ended;

  /** @param onEnd receives the best bid in cents, or {@link #NO_BID} */
  FanOut(int buyers, LongConsumer onEnd) {
    this.buyers = buyers;
    this.onEnd = onEnd;
    if (buyers == 0) {
      end();
    }
  }

  boolean ended() {
    return ended;
  }

  /** A buyer answered in time (with a bid or not). Ignored once ended. */
  void settle(BuyerAnswer answer) {
    if (ended) {
      return;
    }
    settled++;
    if (answer.kind() == BuyerAnswer.Kind.BID && answer.cents() > bestCents) {
      bestCents = answer.cents();
    }
    if (settled == buyers) {
      end();
    }
  }

  void deadlinePassed() {
    end();
  }

  private void end() {
    if (!ended) {
      ended = true;
      onEnd.accept(bestCents);
    }
  }
}
