package org.leadex.simulator.behaviour;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Stateless. Derives each buyer's random generators from the one process seed and the buyer's id.
 *
 * <p>A buyer's generators depend on nothing but (seed, id, purpose), never on how many buyers
 * there are, their order or which port serves them; so a buyer decides the same way for the same
 * sequence of requests whatever traffic its neighbours get. The id is hashed with 64-bit FNV-1a
 * and every combination goes through SplitMix64's finaliser, so nearby seeds and similar ids give
 * unrelated streams.
 */
public final class BuyerSeeds {
  private BuyerSeeds() {}

  /** The stream of per-request seeds for one buyer and one purpose ("bid" or "post"). */
  public static SplittableRandom stream(long seed, String buyerId, String purpose) {
    long buyer = mix64(seed ^ mix64(fnv1a64(buyerId)));
    return new SplittableRandom(mix64(buyer ^ fnv1a64(purpose)));
  }

  static long fnv1a64(String s) {
    long h = 0xcbf29ce484222325L;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }

  static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
