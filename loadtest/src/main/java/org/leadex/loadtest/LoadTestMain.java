package org.leadex.loadtest;

import org.leadex.loadtest.reference.BareFanOutServer;
import org.leadex.loadtest.reference.StandInBuyers;
import picocli.CommandLine;

/**
 * {@code java -jar loadtest.jar [generator flags]} runs the open-loop generator;
 * {@code loadtest.jar reference ...} runs the bare fan-out reference server;
 * {@code loadtest.jar stand-in-buyers ...} runs simple simulated buyers.
 */
public final class LoadTestMain {
  private LoadTestMain() {
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    return new CommandLine(new GeneratorCommand())
        .addSubcommand("reference", new BareFanOutServer())
        .addSubcommand("stand-in-buyers", new StandInBuyers());
  }
}
