package org.leadex.loadtest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * Cold start: the generator, started and primed, waits for the target's {@code /health} to say
 * ready and starts its schedule at once. A picocli mixin of {@link GeneratorCommand}.
 */
final class ReadinessWait {
  @Option(names = "--wait-ready",
      description = "Cold start: wait until the target's GET /health answers 200, then start "
          + "the schedule at once (the generator is already started and primed).")
  boolean waitReady;

  @Option(names = "--ready-timeout", defaultValue = "300", paramLabel = "S",
      description = "With --wait-ready: give up after S seconds (default: ${DEFAULT-VALUE}).")
  double readyTimeout;

  @Option(names = "--self-warmup", defaultValue = "10", paramLabel = "S",
      description = "With --wait-ready: first send the run's traffic for S seconds to a stub target of the "
          + "generator's own on loopback, so that the generator is warm when the target starts; 0 for none "
          + "(default: ${DEFAULT-VALUE}).")
  double selfWarmup;

  /** Whether the target was ready at the first ask (then the run was no cold start). */
  boolean readyAtFirstAsk;

  /**
   * Asks {@code GET /health} every 10 ms until it answers 200; the milliseconds waited, or -1
   * after {@code --ready-timeout}. Refused connections are normal here: the target is starting.
   */
  long waitUntilReady(URI target) {
    HttpClient client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(1)).build();
    URI health = target.resolve(target.getPath().endsWith("/") ? "health" : "/health");
    long start = System.nanoTime();
    long end = start + (long) (readyTimeout * 1e9);
    boolean first = true;
    while (System.nanoTime() < end) {
      try {
        int status = client.send(HttpRequest.newBuilder(health)
            .timeout(Duration.ofSeconds(1)).GET().build(),
            HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status == 200) {
          readyAtFirstAsk = first;
          return (System.nanoTime() - start) / 1_000_000;
        }
        first = false;
      } catch (IOException e) {
        first = false; // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return -1;
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return -1;
      }
    }
    return -1;
  }

}
