package org.leadex.exchange.compliance;

/**
 * One buyer's suppression list in memory: an open-addressing table (linear probing) of the first 8
 * bytes of each SHA-256, filled to at most two thirds. A lookup is O(1): on average under three
 * probes of adjacent slots for a hash on the list, and five for one that is not. Memory: 12 bytes per
 * hash (8 × 3/2), so 12 MB per million hashes; a 10-million list takes 120 MB on every instance.
 *
 * <p>Keying on 64 of the 256 bits: a lead is wrongly taken for suppressed when its hash agrees with
 * a listed one on those 64 bits, about n / 2^64 per lookup (5 × 10^-13 for a 10-million list).
 *
 * <p>Immutable once built; thread safe.
 */
public final class SuppressionList {
  public static final SuppressionList EMPTY = new SuppressionList(new long[0], 0);

  private final long[] slots; // 0 = empty; the prefix 0 is stored as 1 (a one-in-2^63 collision)
  private final int size;

  private SuppressionList(long[] slots, int size) {
    this.slots = slots;
    this.size = size;
  }

  /** A table of {@code count} prefixes (duplicates allowed, stored once). */
  public static SuppressionList of(long[] prefixes, int count) {
    if (count == 0) {
      return EMPTY;
    }
    long[] slots = new long[Math.toIntExact((long) count * 3 / 2 + 1)];
    int size = 0;
    for (int i = 0; i < count; i++) {
      long key = key(prefixes[i]);
      int slot = home(key, slots.length);
      while (slots[slot] != 0 && slots[slot] != key) {
        slot = slot + 1 == slots.length ? 0 : slot + 1;
      }
      if (slots[slot] == 0) {
        slots[slot] = key;
        size++;
      }
    }
    return new SuppressionList(slots, size);
  }

  public boolean contains(long prefix) {
    if (size == 0) {
      return false;
    }
    long key = key(prefix);
    int slot = home(key, slots.length);
    while (true) {
      long stored = slots[slot];
      if (stored == key) {
        return true;
      }
      if (stored == 0) {
        return false;
      }
      slot = slot + 1 == slots.length ? 0 : slot + 1;
    }
  }

  public int size() {
    return size;
  }

  /** Bytes the table holds (what a list costs every instance). */
  public long bytes() {
    return (long) slots.length * Long.BYTES;
  }

  private static long key(long prefix) {
    return prefix == 0 ? 1 : prefix;
  }

  /**
   * The home slot: the prefix's top 32 bits scaled to the table ("fast range"): SHA-256 bits are
   * uniform, so no further mixing is needed, and the table need not be a power of two.
   */
  private static int home(long key, int length) {
    return (int) (((key >>> 32) * length) >>> 32);
  }
}
