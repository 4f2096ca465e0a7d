package org.leadex.exchange.support;

import java.util.function.BooleanSupplier;

/** Waits for something asynchronous to become true, generously (a slow CI machine is not a failure). */
public final class Eventually {
  private Eventually() {}

  public static void holds(String what, BooleanSupplier condition) {
    long giveUp = System.nanoTime() + 60_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > giveUp) {
        throw new AssertionError("still not true after 60 s: " + what);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
