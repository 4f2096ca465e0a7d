package org.leadex.loadtest.traffic;

import java.util.SplittableRandom;

/**
 * Random draws that depend only on (seed, arrival index, purpose), never on the order in which
 * threads happen to ask. The same seed gives the same leads and the same mix whatever the timing.
 */
final class Draws {
  private Draws() {
  }

  static SplittableRandom of(long seed, long index, long purpose) {
    long h = seed * 0x9E3779B97F4A7C15L + index;
    h = (h ^ (h >>> 33)) * 0xFF51AFD7ED558CCDL + purpose * 0xC4CEB9FE1A85EC53L;
    return new SplittableRandom(h ^ (h >>> 29));
  }
}
