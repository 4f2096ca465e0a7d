package org.leadex.simulator;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Thread safe. A plain JDK HTTP/1.1 client, so the simulator is seen as any other client sees it. */
final class TestHttp {
  private TestHttp() {}

  static final HttpClient CLIENT = newClient();

  /**
   * A client of its own, for requests that are meant to time out: the JDK's HTTP/1.1 client (17)
   * can put a connection whose request timed out back in its pool, and the next request on it
   * then waits behind the hung one.
   */
  static HttpClient newClient() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
  }

  static HttpResponse<String> post(String url, String body) throws IOException, InterruptedException {
    return post(url, body, Duration.ofSeconds(10));
  }

  static HttpResponse<String> post(String url, String body, Duration timeout) throws IOException, InterruptedException {
    return CLIENT.send(postRequest(url, body, timeout), HttpResponse.BodyHandlers.ofString());
  }

  /** Posts {@code count} times, {@code concurrency} at a time (so arrival order is not defined). */
  static List<HttpResponse<String>> postMany(String url, String body, int count, int concurrency) {
    List<HttpResponse<String>> out = new ArrayList<>(count);
    for (int sent = 0; sent < count; sent += concurrency) {
      List<CompletableFuture<HttpResponse<String>>> batch = new ArrayList<>();
      for (int i = sent; i < Math.min(count, sent + concurrency); i++) {
        batch.add(CLIENT.sendAsync(postRequest(url, body, Duration.ofSeconds(10)), HttpResponse.BodyHandlers.ofString()));
      }
      batch.forEach(f -> out.add(f.join()));
    }
    return out;
  }

  static HttpRequest postRequest(String url, String body, Duration timeout) {
    return HttpRequest.newBuilder(URI.create(url))
        .timeout(timeout)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  static HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return CLIENT.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A bid request as the contract describes it. */
  static String bid(String state, Integer score, List<String> saleModes) {
    StringBuilder lead = new StringBuilder("{\"zip\":\"90210\",\"age\":40");
    if (state != null) {
      lead.append(",\"state\":\"").append(state).append('"');
    }
    if (score != null) {
      lead.append(",\"score\":").append(score);
    }
    lead.append('}');
    StringBuilder modes = new StringBuilder("[");
    for (int i = 0; i < saleModes.size(); i++) {
      modes.append(i == 0 ? "" : ",").append('"').append(saleModes.get(i)).append('"');
    }
    modes.append(']');
    return "{\"ping_id\":\"p-1\",\"campaign\":\"auto\",\"vertical\":\"auto-insurance\",\"tmax_ms\":120,\"test\":false,"
        + "\"lead\":" + lead + ",\"sale_modes\":" + modes + "}";
  }

  static String bid(String state, Integer score) {
    return bid(state, score, List.of("exclusive"));
  }

  private static final java.util.concurrent.atomic.AtomicLong LEADS = new java.util.concurrent.atomic.AtomicLong();

  /** A post of a new lead (a buyer answers a repeated lead_id as it did the first time); {@code price} is written as given, e.g. "14.25". */
  static String post(String price, boolean test) {
    return "{\"ping_id\":\"p-1\",\"lead_id\":\"l-" + LEADS.incrementAndGet() + "\",\"bid_id\":\"b-1\",\"price\":" + price + ",\"test\":" + test
        + ",\"lead\":{\"zip\":\"90210\",\"state\":\"CA\",\"email\":\"a@example.com\"}}";
  }
}
