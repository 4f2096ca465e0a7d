package org.leadex.exchange.catalog;

import org.leadex.exchange.json.DocReader;

/**
 * How many requests a seller may make: a sustained rate and a burst allowance, as in a token
 * bucket that holds {@code burst} tokens and refills {@code perSecond} a second. Per exchange
 * instance: with K instances behind a balancer that spreads a seller's requests, the seller gets up
 * to K times this. Pure.
 */
public record RateLimit(int perSecond, int burst) {

  public RateLimit {
    if (perSecond < 1 || burst < 1) {
      throw new IllegalArgumentException("a rate limit needs at least 1 request a second and a burst of at least 1");
    }
  }

  /** A seller document's {@code rate_limit}: {@code {"per_second": N, "burst": M}}; burst defaults to N. */
  public static RateLimit read(DocReader doc) {
    int perSecond = doc.integer("per_second", 1, 1_000_000);
    int burst = doc.integer("burst", 1, 10_000_000, perSecond);
    doc.done();
    return new RateLimit(perSecond, burst);
  }

  /** Settings' form {@code N} or {@code N/M} (per second / burst); 0 means no limit (null). */
  public static RateLimit parse(String text) {
    String[] parts = text.strip().split("/", -1);
    try {
      int perSecond = Integer.parseInt(parts[0].strip());
      if (perSecond == 0 && parts.length == 1) {
        return null;
      }
      int burst = parts.length == 2 ? Integer.parseInt(parts[1].strip()) : perSecond;
      if (parts.length > 2 || perSecond < 1 || burst < 1) {
        throw new NumberFormatException();
      }
      return new RateLimit(perSecond, burst);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("a rate limit is N or N/BURST requests a second (0 for none), not '" + text + "'");
    }
  }
}
