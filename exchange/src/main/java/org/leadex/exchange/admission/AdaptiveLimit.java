package org.leadex.exchange.admission;

/**
 * How many pings may be in flight at once, found while running: cut to 90 % of what is in flight
 * when the event loops have run later than the lag target for two intervals in a row, raised back
 * by a tenth each interval in which they keep time while the limit is what turns pings away
 * (additive-increase / multiplicative-decrease, as TCP finds a link's capacity). Two intervals,
 * because on a shared machine one late tick is usually a neighbour or a GC, not overload: the
 * first version cut on single spikes and turned away 5 % of the pings at a third of capacity.
 *
 * <p>Why: on a fan-out the cost of a ping is fixed by its buyers, so past the machine's capacity
 * every admitted ping makes every other one late, and a 503 written by a loop that is already late
 * is late too. Shedding by lag alone acts only once answers are late. Bounding the pings in flight
 * keeps the loops ahead of the work, so that the pings over the bound are turned away while the
 * loop still answers within milliseconds, before their body is read. The bound follows the machine
 * (a noisy neighbour, a slow buyer mix) rather than a number someone must tune.
 *
 * <p>Thread safe: {@link #current} and {@link #turnedAway} from any event loop; {@link #adjust} from
 * one timer.
 */
public final class AdaptiveLimit {
  private final Settings settings;
  private volatile int limit;
  private volatile boolean turnedAway;
  private long lastCutNanos = Long.MIN_VALUE / 2;
  private boolean lateBefore;

  /**
   * @param ceiling         the limit never goes above this (the configured in-flight bound)
   * @param floor           nor below this: a stall of the machine must not shut the door for long
   * @param lagTargetMillis loops running later than this cut the limit
   * @param cooldownMillis  after a cut, no other until the pings admitted before it have ended
   */
  public record Settings(int ceiling, int floor, long lagTargetMillis, long cooldownMillis) {
    public Settings {
      if (floor < 1 || ceiling < floor) {
        throw new IllegalArgumentException("need 1 <= floor <= ceiling, not " + floor + " and " + ceiling);
      }
      if (lagTargetMillis < 1 || cooldownMillis < 0) {
        throw new IllegalArgumentException("the lag target must be at least 1 ms");
      }
    }
  }

  public AdaptiveLimit(Settings settings) {
    this.settings = settings;
    this.limit = settings.ceiling();
  }

  /** The pings that may be in flight now. */
  public int current() {
    return limit;
  }

  /** Tells the limit that it turned a ping away (so it may grow when the loops keep time). */
  public void turnedAway() {
    turnedAway = true;
  }

  /**
   * One interval's verdict.
   *
   * @param lagMillis the largest event-loop lag seen in the interval
   * @param inFlight  pings in flight now
   * @return the new limit
   */
  public int adjust(long lagMillis, int inFlight, long nowNanos) {
    boolean pressed = turnedAway;
    turnedAway = false;
    boolean late = lagMillis > settings.lagTargetMillis();
    boolean sustained = late && lateBefore;
    lateBefore = late;
    if (late) {
      if (sustained && nowNanos - lastCutNanos >= settings.cooldownMillis() * 1_000_000L) {
        lastCutNanos = nowNanos;
        limit = Math.max(settings.floor(), Math.min(limit, inFlight) * 9 / 10);
      }
    } else if (pressed && lagMillis <= settings.lagTargetMillis() / 2) {
      limit = Math.min(settings.ceiling(), limit + Math.max(2, limit / 10));
    }
    return limit;
  }
}
