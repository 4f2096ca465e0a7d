package org.leadex.simulator;

/** Placeholder entry point; the simulator is built out under its own issue. */
public final class BuyerSimulatorMain {
  public static void main(String[] args) {
    System.out.println("buyer-simulator");
  }
}
