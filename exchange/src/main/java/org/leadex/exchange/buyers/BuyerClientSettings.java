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
 */
public record BuyerClientSettings(int poolSize, int maxAnswerBytes, int silentCloseMillis, long circuitOpenMillis,
                                  int circuitWindow) {

  public static final BuyerClientSettings DEFAULTS = new BuyerClientSettings(128, 64 * 1024, 1_000, 30_000, 20);

  public BuyerClientSettings {
    if (poolSize < 1 || poolSize > 10_000) {
      throw new IllegalArgumentException("buyer pool size must be between 1 and 10000");
    }
    if (maxAnswerBytes < 1024) {
      throw new IllegalArgumentException("max answer size must be at least 1024 bytes");
    }
    if (silentCloseMillis < 10 || circuitOpenMillis < 1 || circuitWindow < 2) {
      throw new IllegalArgumentException("buyer client timings out of range");
    }
  }
}
