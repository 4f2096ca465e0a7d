package org.leadex.simulator.config;

/** Stateless. Checks that a probability is a real number in [0, 1], with a message naming it. */
final class Rates {
  private Rates() {}

  static void requireRate(String name, double rate) {
    if (!(rate >= 0 && rate <= 1)) {
      throw new IllegalArgumentException(name + " must be within 0..1, got " + rate);
    }
  }
}
