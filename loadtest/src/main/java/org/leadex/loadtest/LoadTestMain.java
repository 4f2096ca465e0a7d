package org.leadex.loadtest;

/** Placeholder entry point; the load generator is built out under its own issue. */
public final class LoadTestMain {
  public static void main(String[] args) {
    System.out.println("loadtest");
  }
}
