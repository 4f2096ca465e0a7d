package org.leadex.loadtest.measure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Follows the buyer simulator's count of TCP connections opened to it ({@code GET
 * /stats/connections}, field {@code opened}), so the per-second series can show how many new
 * connections the server under test opened to its buyers: a reconnect storm shows up there first.
 *
 * <p>Threading: one daemon thread of its own ("loadtest-connections") asks four times a second and
 * keeps the latest count in a volatile field; the monitor thread reads it when it closes an
 * interval, so a slow or absent simulator never delays the monitor. A quarter-second of staleness
 * is fine for a per-second series.
 */
public final class ConnectionWatch implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long EVERY_MILLIS = 250;

  private final URI url;
  private final HttpClient client = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(1))
      .build();
  private final Thread thread;
  private volatile long opened = -1;
  private volatile boolean closed;

  private ConnectionWatch(URI url) {
    this.url = url;
    this.thread = new Thread(this::poll, "loadtest-connections");
    thread.setDaemon(true);
  }

  /** Starts watching; the first count is taken before this returns (or -1 if none came). */
  public static ConnectionWatch start(URI url) {
    ConnectionWatch watch = new ConnectionWatch(url);
    watch.askOnce();
    watch.thread.start();
    return watch;
  }

  /** Connections opened to the buyers so far, as last read; -1 if never read. */
  public long opened() {
    return opened;
  }

  private void poll() {
    while (!closed) {
      try {
        Thread.sleep(EVERY_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
      askOnce();
    }
  }

  private void askOnce() {
    try {
      HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(url)
          .timeout(Duration.ofSeconds(1)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() == 200) {
        JsonNode count = JSON.readTree(response.body()).get("opened");
        if (count != null && count.canConvertToLong()) {
          opened = count.asLong();
        }
      }
    } catch (Exception e) {
      // Keep the last count: a missed reading only blurs one interval into the next.
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
  }
}
