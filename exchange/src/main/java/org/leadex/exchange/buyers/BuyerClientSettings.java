package org.leadex.exchange.buyers;

/**
 * How the exchange talks to buyers; validated at start-up.
 *
 * @param poolSize          keep-alive connections per buyer (and the bulkhead: calls in flight per buyer)
 * @param maxAnswerBytes    a bid or post answer larger than this is {@code too_large} (contract: 64 KiB)
 * @param silentCloseMillis a request still unanswered this long after its deadline is reset; until then a late answer is
 *                          read and ignored on its keep-alive connection instead of tearing the
 *                          connection down at the deadline (which causes reconnect storms)
 * @param circuitOpenMillis how long an open circuit waits before one trial call (contract: 30 s)
 * @param circuitWindow     the calls the circuit breaker looks back over (contract: 20)
 * @param resetsPerSecond   silent calls reset per buyer per second at most (burst as many); the others stay open,
 *                          holding their connection and bulkhead slot, until the budget allows or they
 *                          end. Each reset costs a new connection later, so this bounds a buyer's
 *                          reconnects when it (or the whole network) turns slow at once: without it, a
 *                          cold start against slow buyers reopened 2,000 connections a second
 * @param connectsPerSecond new bid connections per buyer per second at most (and as many at once, see
 *                          {@link #connectBurst}): a call that would
 *                          need one over the budget is {@code error} at once, unsent. The bound on
 *                          reconnects the contract's buyers can count on, whatever happens: when half
 *                          the buyers started hanging at once, their calls opened 750 connections in a
 *                          second before the circuits opened
 */
public record BuyerClientSettings(int poolSize, int maxAnswerBytes, int silentCloseMillis, long circuitOpenMillis,
                                  int circuitWindow, int resetsPerSecond, int connectsPerSecond) {

  public static final int DEFAULT_RESETS_PER_SECOND = 25;
  public static final int DEFAULT_CONNECTS_PER_SECOND = 50;
  public static final BuyerClientSettings DEFAULTS = new BuyerClientSettings(128, 64 * 1024, 1_000, 30_000, 20,
      DEFAULT_RESETS_PER_SECOND, DEFAULT_CONNECTS_PER_SECOND);

  /** The default reset and connection budgets, for callers that set the rest. */
  public BuyerClientSettings(int poolSize, int maxAnswerBytes, int silentCloseMillis, long circuitOpenMillis,
                             int circuitWindow) {
    this(poolSize, maxAnswerBytes, silentCloseMillis, circuitOpenMillis, circuitWindow, DEFAULT_RESETS_PER_SECOND,
        DEFAULT_CONNECTS_PER_SECOND);
  }

  /**
   * New connections a buyer may get at once: a second's worth. A fifth of that halved what a buyer
   * storm opened in its first second (301 against 603), but refused 0.25 % of all bid calls at a
   * steady 600 pings/s, where bursts of arrivals need new connections too; a second's worth refused
   * none (docs/performance.md).
   */
  public int connectBurst() {
    return connectsPerSecond;
  }

  public BuyerClientSettings {
    if (poolSize < 1 || poolSize > 10_000) {
      throw new IllegalArgumentException("buyer pool size must be between 1 and 10000");
    }
    if (maxAnswerBytes < 1024) {
      throw new IllegalArgumentException("max answer size must be at least 1024 bytes");
    }
    if (silentCloseMillis < 10 || circuitOpenMillis < 1 || circuitWindow < 2 || resetsPerSecond < 1
        || connectsPerSecond < 1) {
      throw new IllegalArgumentException("buyer client timings out of range");
    }
  }
}
