package org.leadex.loadtest.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.leadex.loadtest.support.Attempts;
import org.leadex.loadtest.support.TestServer;

/** The reference fan-out server against real buyer servers on loopback. */
class ReferenceServerTest {
  private static final String PING =
      "{\"campaign\":\"auto-insurance\",\"source\":\"s\",\"lead\":{\"zip\":\"90210\",\"state\":\"CA\",\"age\":42}}";
  private final ObjectMapper json = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final List<TestServer> buyers = new ArrayList<>();
  /** Every bid request a buyer received, read in full before the buyer answers. */
  private final List<JsonObject> bidRequests = new CopyOnWriteArrayList<>();
  private Vertx vertx;

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void closeVertx() throws Exception {
    buyers.forEach(TestServer::close);
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void aHangingBuyerDoesNotDelayThePingPastItsDeadline() throws Exception {
    String hang = buyer(req -> { });
    String five = buyer(req -> vertx.setTimer(10, id -> req.response().end("{\"bid\":5.00}")));
    String seven = buyer(req -> vertx.setTimer(30, id -> req.response().end("{\"bid\":7.25}")));
    String url = reference(150, 1000, 256, hang, five, seven);
    ping(url); // connections and JIT

    Attempts.upTo3(() -> {
      long start = System.nanoTime();
      JsonNode answer = ping(url);
      long elapsedMs = (System.nanoTime() - start) / 1_000_000;

      assertEquals("bid", answer.path("status").asText());
      assertEquals(0, new BigDecimal("7.25").compareTo(answer.path("price").decimalValue()));
      assertTrue(answer.path("ping_id").asText().startsWith("ref-"));
      assertTrue(elapsedMs >= 140, "waited for the hanging buyer until the deadline: " + elapsedMs);
      assertTrue(elapsedMs < 400, "answered at the deadline, not at the abandon time: " + elapsedMs);
    });
  }

  @Test
  void picksTheBestBidAndCountsGarbageOversizedAndErrorsAsNoBid() throws Exception {
    String pad = "x".repeat(100 * 1024);
    String url = reference(2000, 3000, 256,
        buyer(req -> req.response().end("not json")),
        buyer(req -> req.response().end("{\"bid\":99.00,\"pad\":\"" + pad + "\"}")),
        buyer(req -> req.response().setChunked(true).end("{\"bid\":98.00,\"pad\":\"" + pad + "\"}")),
        buyer(req -> req.response().end("{\"bid\":50.125}")),
        buyer(req -> req.response().setStatusCode(500).end("{\"bid\":80}")),
        buyer(req -> req.response().setStatusCode(204).end()),
        buyer(req -> req.response().end("{\"bid\":3.10,\"bid_id\":\"x\"}")),
        buyer(req -> req.response().end("{\"bid\":2.95}")));

    long start = System.nanoTime();
    JsonNode answer = ping(url);
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;

    assertEquals("bid", answer.path("status").asText());
    assertEquals(0, new BigDecimal("3.10").compareTo(answer.path("price").decimalValue()));
    assertTrue(elapsedMs < 1000, "every buyer answered, so no wait for the deadline: " + elapsedMs);
    assertEquals(8, bidRequests.size(), "every buyer got the whole bid request");
    assertTrue(bidRequests.stream().allMatch(bidRequests.get(0)::equals), "the same one");
    JsonObject bidRequest = bidRequests.get(0);
    assertEquals(answer.path("ping_id").asText(), bidRequest.getString("ping_id"));
    assertEquals("auto-insurance", bidRequest.getString("campaign"));
    assertEquals("auto-insurance", bidRequest.getString("vertical"));
    assertEquals(false, bidRequest.getBoolean("test"));
    int tmax = bidRequest.getInteger("tmax_ms");
    assertTrue(tmax > 1500 && tmax <= 2000, "the buyer is told what remains: " + tmax);
    assertEquals(new JsonObject("{\"zip\":\"90210\",\"state\":\"CA\",\"age\":42}"),
        bidRequest.getJsonObject("lead"));

    JsonNode calls = stats(url).path("buyer_calls");
    assertEquals(2, calls.path("bid").asInt());
    assertEquals(1, calls.path("no_bid").asInt());
    assertEquals(2, calls.path("malformed").asInt(), "not JSON, three decimals");
    assertEquals(1, calls.path("http_error").asInt());
    assertEquals(2, calls.path("too_large").asInt(), "by Content-Length and by counting chunks");
  }

  @Test
  void noBidWhenNoBuyerBidsInTime() throws Exception {
    String late = buyer(req -> vertx.setTimer(300, id -> req.response().end("{\"bid\":9.00}")));
    String none = buyer(req -> req.response().end("{\"bid\":0}"));
    String url = reference(100, 1000, 256, late, none);

    JsonNode answer = ping(url);

    assertEquals("no_bid", answer.path("status").asText());
    assertTrue(answer.path("price").isMissingNode());
  }

  @Test
  void lateAnswersFinishOnTheirKeepAliveConnection() throws Exception {
    // The buyer always answers after the deadline. With one connection to it, resetting late
    // requests would force a new connection per ping; letting them finish keeps the one.
    AtomicInteger connections = new AtomicInteger();
    AtomicInteger delivered = new AtomicInteger();
    TestServer slow = TestServer.start(vertx, req -> vertx.setTimer(150,
        id -> req.response().end("{\"bid\":4.00}").onSuccess(v -> delivered.incrementAndGet())),
        connection -> connections.incrementAndGet());
    buyers.add(slow);
    String url = reference(60, 1000, 1, slow.url() + "/bid");

    for (int i = 0; i < 3; i++) {
      assertEquals("no_bid", ping(url).path("status").asText());
    }
    waitFor(() -> delivered.get() == 3, 3000);

    assertEquals(3, delivered.get(), "every late answer was written out in full");
    assertEquals(1, connections.get(), "all on one keep-alive connection");
    assertEquals(3, stats(url).path("buyer_calls").path("late").asInt());
  }

  @Test
  void aBuyerSilentLongerThanTheAbandonTimeIsClosed() throws Exception {
    AtomicLong requestAt = new AtomicLong();
    AtomicLong closedAt = new AtomicLong();
    TestServer silent = TestServer.start(vertx, req -> requestAt.set(System.nanoTime()),
        connection -> connection.closeHandler(v -> closedAt.set(System.nanoTime())));
    buyers.add(silent);
    String url = reference(100, 300, 16, silent.url() + "/bid");

    assertEquals("no_bid", ping(url).path("status").asText());
    waitFor(() -> closedAt.get() != 0, 3000);

    long silentMs = (closedAt.get() - requestAt.get()) / 1_000_000;
    assertTrue(silentMs >= 250 && silentMs < 2000, "closed after ~300 ms of silence: " + silentMs);
    assertEquals(1, stats(url).path("buyer_calls").path("abandoned").asInt());
  }

  // --- helpers ----------------------------------------------------------------------------

  private String buyer(Consumer<HttpServerRequest> behaviour) {
    TestServer server = TestServer.start(vertx, req -> req.body().onSuccess(body -> {
      bidRequests.add(body.toJsonObject());
      behaviour.accept(req);
    }));
    buyers.add(server);
    return server.url() + "/bid";
  }

  private String reference(long deadlineMs, long abandonMs, int connections, String... buyerUrls)
      throws Exception {
    List<URI> urls = new ArrayList<>();
    for (String u : buyerUrls) {
      urls.add(URI.create(u));
    }
    ReferenceSettings settings = new ReferenceSettings("127.0.0.1", 0, urls, deadlineMs, 0,
        "auto-insurance", connections, abandonMs, 64 * 1024, 0, 1);
    int port = BareFanOutServer.start(vertx, settings).await(10, TimeUnit.SECONDS);
    return "http://127.0.0.1:" + port;
  }

  private JsonNode ping(String url) {
    try {
      return tryPing(url);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private JsonNode tryPing(String url) throws java.io.IOException, InterruptedException {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url + "/v1/ping"))
        .header("authorization", "Bearer any").POST(HttpRequest.BodyPublishers.ofString(PING))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    return json.readTree(response.body());
  }

  private JsonNode stats(String url) throws Exception {
    return json.readTree(http.send(HttpRequest.newBuilder(URI.create(url + "/stats")).build(),
        HttpResponse.BodyHandlers.ofString()).body());
  }

  private static void waitFor(java.util.function.BooleanSupplier condition, long maxMillis)
      throws InterruptedException {
    long end = System.currentTimeMillis() + maxMillis;
    while (!condition.getAsBoolean() && System.currentTimeMillis() < end) {
      Thread.sleep(20);
    }
  }
}
