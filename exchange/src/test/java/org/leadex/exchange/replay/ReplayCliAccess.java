package org.leadex.exchange.replay;

import picocli.CommandLine;

/** Runs {@link ReplayCli} in the test JVM and returns what it printed (its package-private hook). */
public final class ReplayCliAccess {
  private ReplayCliAccess() {}

  public static String run(String... args) {
    ReplayCli cli = new ReplayCli();
    int exit = new CommandLine(cli).execute(args);
    if (exit != 0) {
      throw new AssertionError("replay CLI exited " + exit + ": " + cli.printed());
    }
    return cli.printed();
  }
}
