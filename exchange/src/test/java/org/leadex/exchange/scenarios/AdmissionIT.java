package org.leadex.exchange.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.leadex.exchange.Exchange;
import org.leadex.exchange.support.Http;
import org.leadex.exchange.support.TestBuyers;
import org.leadex.exchange.support.TestDatabase;
import org.leadex.exchange.support.TestExchange;

/**
 * Admission control: what the exchange refuses at once, before it costs a buyer call, and what it
 * still serves. None of these checks measure time: each sets up the condition (a ping whose
 * deadline passed while its body trickled in, pings held in flight by a hanging buyer, a start-up
 * with its warm-up) and checks the answers.
 */
class AdmissionIT {
  static TestExchange exchange;
  static TestBuyers buyers;
  static String sellerKey;

  @BeforeAll
  static void start() {
    exchange = TestExchange.start(TestDatabase.fresh("admission"), s -> s.withMaxPingsInFlight(2));
    buyers = TestBuyers.start();
    sellerKey = exchange.seller("pub", "{\"type\":\"revenue_share\",\"percent\":80}");
    exchange.buyer("quick", buyers.bidderJson("quick", 900));
    exchange.buyer("stuck", buyers.bidderJson("stuck", 900));
    buyers.buyer("quick").bids("8.00");
    buyers.buyer("stuck").hang = true;
    exchange.campaign("fast", TestExchange.campaignJson("[{\"mode\":\"auction\",\"buyers\":[\"quick\"]}]",
        "\"ping_timeout_ms\":100"));
    exchange.campaign("slow", TestExchange.campaignJson("[{\"mode\":\"auction\",\"buyers\":[\"stuck\"]}]",
        "\"ping_timeout_ms\":3000"));
  }

  @AfterAll
  static void stop() {
    exchange.close();
    buyers.close();
  }

  @Test
  void aPingWhoseDeadlinePassedBeforeItsBodyArrivedIsShedWithoutCallingABuyer() throws Exception {
    int before = buyers.buyer("quick").bidRequests.size();
    byte[] body = TestExchange.pingBody("fast").getBytes(StandardCharsets.UTF_8);
    URI url = URI.create(exchange.url());
    try (Socket socket = new Socket(url.getHost(), url.getPort())) {
      OutputStream out = socket.getOutputStream();
      out.write(("POST /v1/ping HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + sellerKey
          + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.write(body, 0, 5);
      out.flush();
      Thread.sleep(400); // the campaign's whole ping_timeout_ms (100) passes while the body trickles
      out.write(body, 5, body.length - 5);
      out.flush();
      String response = readResponse(socket.getInputStream());
      assertTrue(response.startsWith("HTTP/1.1 503"), response);
      assertTrue(response.toLowerCase().contains("retry-after: 1"), response);
      assertTrue(response.contains("\"error\":\"overloaded\""), response);
    }
    assertEquals(before, buyers.buyer("quick").bidRequests.size(), "no buyer was asked");
    Http.Reply normal = exchange.ping(sellerKey, TestExchange.pingBody("fast"));
    assertEquals("bid", normal.text("status"), normal.body());
    assertEquals(before + 1, buyers.buyer("quick").bidRequests.size());
    assertTrue(exchange.call("GET", "/metrics", null, null).body()
        .contains("exchange_pings_shed_total{reason=\"deadline\"} 1"), "the shed ping is counted by reason");
  }

  @Test
  void overTheInFlightLimitAPingGets503WhileAPostIsServed() throws Exception {
    Http.Reply quoted = exchange.ping(sellerKey, TestExchange.pingBody("fast"));
    assertEquals("bid", quoted.text("status"), quoted.body());
    // Two pings wait on a buyer that never answers: the exchange holds its limit of 2 in flight.
    HttpClient client = HttpClient.newHttpClient();
    List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      held.add(client.sendAsync(HttpRequest.newBuilder(URI.create(exchange.url() + "/v1/ping"))
          .header("Authorization", "Bearer " + sellerKey).header("content-type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(TestExchange.pingBody("slow"))).build(),
          HttpResponse.BodyHandlers.ofString()));
    }
    while (buyers.buyer("stuck").bidRequests.size() < 2) {
      Thread.sleep(5);
    }
    Http.Reply shed = exchange.ping(sellerKey, TestExchange.pingBody("fast"));
    assertEquals(503, shed.status(), shed.body());
    assertEquals("overloaded", shed.text("error"));
    assertEquals("1", shed.headers().firstValue("Retry-After").orElse(null));
    // The adaptive limit is off in scenarios: the bound that turned it away is the configured one.
    assertTrue(exchange.call("GET", "/metrics", null, null).body()
        .contains("exchange_pings_shed_total{reason=\"in_flight\"} 1"), "counted as the in-flight bound");

    Http.Reply post = exchange.post(sellerKey, quoted.text("ping_id"), TestExchange.FULL_LEAD);
    assertEquals(200, post.status(), post.body());
    assertEquals("sold", post.text("status"), "a post is served while pings are shed");

    for (CompletableFuture<HttpResponse<String>> ping : held) {
      HttpResponse<String> answer = ping.get();
      assertEquals(200, answer.statusCode(), answer.body());
      assertTrue(answer.body().contains("no_bid"), answer.body());
    }
    Http.Reply after = exchange.ping(sellerKey, TestExchange.pingBody("fast"));
    assertEquals("bid", after.text("status"), "admitted again once the held pings are decided: " + after.body());
  }

  @Test
  void healthSaysStartingUntilTheWarmUpIsOver() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    String database = TestDatabase.fresh("admission_warmup");
    AtomicBoolean started = new AtomicBoolean();
    List<String> seen = new ArrayList<>();
    Thread poller = new Thread(() -> {
      HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
      while (!started.get()) {
        try {
          HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
              .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
          String status = r.statusCode() + (r.body().contains("\"starting\"") ? " starting" : "");
          synchronized (seen) {
            if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(status)) {
              seen.add(status);
            }
          }
        } catch (ConnectException e) {
          // not listening yet
        } catch (Exception e) {
          // the next poll tells
        }
        try {
          Thread.sleep(2);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    poller.start();
    try (Exchange warmed = Exchange.start(TestExchange.settings(database, org.leadex.exchange.buyers.BuyerClientSettings.DEFAULTS)
        .withStartup(port, true))) {
      started.set(true);
      poller.join();
      synchronized (seen) {
        // Listening from before the warm-up, it said "starting" until then, and ok only at the very end.
        assertTrue(seen.equals(List.of("503 starting")) || seen.equals(List.of("503 starting", "200")),
            "while it warmed up, /health said starting: " + seen);
      }
      assertEquals(200, Http.send("GET", "http://127.0.0.1:" + port + "/health", null, null).status());
      // It warmed the auction path itself (real bid client, stub buyers on loopback), and left no trace of it.
      var report = warmed.warmup().orElseThrow();
      assertTrue(report.auctions() > 0, "the warm-up ran whole auctions: " + report);
      String metrics = Http.send("GET", "http://127.0.0.1:" + port + "/metrics", null, null).body();
      assertTrue(!metrics.contains("warm-up"), "no warm-up buyer in the metrics");
      assertTrue(metrics.contains("exchange_ping_limit"), "the adaptive limit is exported");
    }
  }

  private static String readResponse(InputStream in) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    long until = System.currentTimeMillis() + 10_000;
    while (System.currentTimeMillis() < until) {
      int n = in.read(buffer);
      if (n < 0) {
        break;
      }
      out.write(buffer, 0, n);
      String text = out.toString(StandardCharsets.UTF_8);
      int headerEnd = text.indexOf("\r\n\r\n");
      if (headerEnd >= 0) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length: (\\d+)").matcher(text);
        if (m.find() && text.length() - headerEnd - 4 >= Integer.parseInt(m.group(1))) {
          return text;
        }
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
