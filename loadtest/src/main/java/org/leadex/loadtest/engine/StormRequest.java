package org.leadex.loadtest.engine;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Asks the buyer simulator to start a buyer storm ({@code POST /control/storm}) as the storm phase
 * begins, so the storm lines up with the generator's own clock rather than with a script's sleep.
 *
 * <p>Threading: {@link #run} is called by the schedule thread and only starts the request (the
 * JDK client's own threads carry it), so the schedule is never held up; the answer is read once
 * the run is over.
 */
public final class StormRequest implements Runnable {
  private final URI url;
  private final String body;
  private final CompletableFuture<String> answer = new CompletableFuture<>();
  private volatile boolean asked;
  private volatile long askedNanos;

  public StormRequest(URI url, double share, double seconds) {
    this.url = url;
    this.body = String.format(Locale.ROOT, "{\"share\":%s,\"seconds\":%s}", share, seconds);
  }

  @Override
  public void run() {
    askedNanos = System.nanoTime();
    asked = true;
    HttpClient.newHttpClient()
        .sendAsync(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
            HttpResponse.BodyHandlers.ofString())
        .whenComplete((response, failure) -> answer.complete(failure != null
            ? "not asked: " + failure
            : response.statusCode() == 200 ? response.body()
            : "refused: " + response.statusCode() + " " + response.body()));
  }

  /** When it was asked ({@link System#nanoTime}); 0 if not asked. */
  public long askedNanos() {
    return asked ? askedNanos : 0;
  }

  /** What the simulator answered (its storm state), or why there is no storm; null if not asked. */
  public String answer() {
    if (!asked) {
      return null;
    }
    try {
      return answer.isDone() ? answer.get() : answer.get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      return answer.isDone() ? "failed: " + e : null;
    }
  }
}
