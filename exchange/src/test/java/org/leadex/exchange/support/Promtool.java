package org.leadex.exchange.support;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Prometheus's own checker, {@code promtool} (Debian package {@code prometheus}; .ci/run installs
 * it): a test hands it our exposition or configuration and gets its verdict.
 */
public final class Promtool {
  /** Exit status and everything it printed. */
  public record Verdict(int exit, String output) {
    public boolean ok() {
      return exit == 0;
    }
  }

  private Promtool() {}

  public static Optional<Path> find() {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      Path candidate = Path.of(dir, "promtool");
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** {@code promtool check metrics} with the exposition on standard input. */
  public static Verdict checkMetrics(Path promtool, byte[] exposition) throws IOException, InterruptedException {
    return run(List.of(promtool.toString(), "check", "metrics"), exposition);
  }

  public static Verdict checkConfig(Path promtool, Path config) throws IOException, InterruptedException {
    return run(List.of(promtool.toString(), "check", "config", "--syntax-only", config.toString()), new byte[0]);
  }

  private static Verdict run(List<String> command, byte[] input) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try (OutputStream in = process.getOutputStream()) {
      in.write(input);
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(command + " did not finish");
    }
    return new Verdict(process.exitValue(), output);
  }
}
