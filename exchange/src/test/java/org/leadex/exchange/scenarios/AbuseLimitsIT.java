package org.leadex.exchange.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.leadex.exchange.buyers.BuyerClientSettings;
import org.leadex.exchange.catalog.RateLimit;
import org.leadex.exchange.config.ExchangeSettings;
import org.leadex.exchange.json.Json;
import org.leadex.exchange.support.Http;
import org.leadex.exchange.support.RawHttp;
import org.leadex.exchange.support.TestBuyers;
import org.leadex.exchange.support.TestDatabase;
import org.leadex.exchange.support.TestExchange;

/**
 * Abuse limits over real HTTP: per-seller rate limits (429 with Retry-After), body limits (413,
 * with and without a Content-Length), header limits (431, 414), and load shedding (503) when too
 * many pings are in flight. Each answer is the contract's JSON error and the server stays healthy.
 */
class AbuseLimitsIT {
  static TestExchange exchange;
  static TestBuyers buyers;
  static String fastKey;

  @BeforeAll
  static void start() {
    // A tight default rate (sellers without their own limit) and room for one ping in flight.
    exchange = TestExchange.start(TestDatabase.fresh("abuse"), BuyerClientSettings.DEFAULTS, d -> new ExchangeSettings(
        d.port(), d.databaseUrl(), d.adminKey(), d.dataDir(), d.pingRetentionDays(), d.flushMillis(), 1,
        d.eventLoops(), d.drainSeconds(), d.buyers(), d.warmup(), d.maxLoopLagMillis(),
        Optional.of(new RateLimit(1, 5)), d.leaseMarginMillis(), d.deliveryRetryMillis(),
        d.overloadLagMillis()));
    buyers = TestBuyers.start();
    fastKey = exchange.seller("fast", "{\"type\":\"revenue_share\",\"percent\":80}");
    exchange.admin("PUT", "/v1/admin/sellers/fast", "{\"name\":\"fast\",\"payout\":{\"type\":\"revenue_share\","
        + "\"percent\":80},\"rate_limit\":{\"per_second\":100000,\"burst\":100000}}");
    exchange.buyer("b", buyers.fixedPriceJson("b", "5.00"));
    exchange.campaign("c", TestExchange.campaignJson("[{\"mode\":\"auction\",\"buyers\":[\"b\"]}]", ""));
  }

  @AfterAll
  static void stop() {
    exchange.close();
    buyers.close();
  }

  private static void healthy() {
    assertEquals(200, exchange.call("GET", "/health", null, null).status());
    assertEquals(200, exchange.ping(fastKey, TestExchange.pingBody("c")).status());
  }

  private static void assertError(int status, String code, int actualStatus, String body) {
    assertEquals(status, actualStatus, body);
    assertEquals(code, Json.parse(body).get("error").asText(), body);
    assertTrue(Json.parse(body).get("message").asText().length() > 0, body);
  }

  @Test
  void aSellerOverItsRateGets429WithRetryAfterAndOtherSellersAreUntouched() {
    String slowKey = exchange.seller("slow", "{\"type\":\"revenue_share\",\"percent\":80}");
    long start = System.nanoTime();
    int ok = 0;
    Http.Reply limited = null;
    for (int i = 0; i < 40; i++) {
      Http.Reply reply = exchange.ping(slowKey, TestExchange.pingBody("c"));
      if (reply.status() == 200) {
        ok++;
      } else {
        limited = reply;
        assertError(429, "rate_limited", reply.status(), reply.body());
        int retryAfter = Integer.parseInt(reply.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= 2, "Retry-After " + retryAfter);
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    // the default: a burst of 5, then 1 a second
    assertTrue(limited != null, "40 pings in " + seconds + " s under 1/s, burst 5, and none was limited");
    assertTrue(ok >= 5 && ok <= 5 + Math.ceil(seconds) + 1, ok + " pings passed in " + seconds + " s");
    Http.Reply post = exchange.post(slowKey, "0190c6a0-0000-7000-8000-000000000000", TestExchange.FULL_LEAD);
    assertEquals(429, post.status(), "posts count toward the same limit: " + post.body());

    for (int i = 0; i < 50; i++) {
      assertEquals(200, exchange.ping(fastKey, TestExchange.pingBody("c")).status(), "a seller with its own higher limit");
    }
    exchange.admin("PUT", "/v1/admin/sellers/slow", "{\"name\":\"slow\",\"payout\":{\"type\":\"revenue_share\","
        + "\"percent\":80},\"rate_limit\":{\"per_second\":1000}}");
    assertEquals(200, exchange.ping(slowKey, TestExchange.pingBody("c")).status(), "a raised limit applies at once");
  }

  @Test
  void bodiesOverTheLimitGet413WithOrWithoutAContentLength() throws Exception {
    String bigPing = "{\"campaign\":\"c\",\"lead\":{\"zip\":\"" + "9".repeat(70_000) + "\"}}";
    Http.Reply ping = exchange.ping(fastKey, bigPing);
    assertError(413, "payload_too_large", ping.status(), ping.body());
    String bigLead = "{\"ping_id\":\"x\",\"lead\":{\"zip\":\"" + "9".repeat(1_100_000) + "\"}}";
    Http.Reply post = exchange.call("POST", "/v1/post", fastKey, bigLead);
    assertError(413, "payload_too_large", post.status(), post.body());
    String buyerKey = exchange.admin("POST", "/v1/admin/buyers/b/keys", null).text("api_key");
    Http.Reply feedback = exchange.call("POST", "/v1/feedback", buyerKey, "{\"reason\":\"" + "r".repeat(1_100_000) + "\"}");
    assertError(413, "payload_too_large", feedback.status(), feedback.body());

    // Chunked: no Content-Length to refuse up front; the limit holds while the body streams in.
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpRequest chunked = HttpRequest.newBuilder(URI.create(exchange.url() + "/v1/ping"))
        .header("Authorization", "Bearer " + fastKey).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bigPing.getBytes())))
        .timeout(Duration.ofSeconds(30)).build();
    try {
      HttpResponse<String> response = client.send(chunked, HttpResponse.BodyHandlers.ofString());
      assertError(413, "payload_too_large", response.statusCode(), response.body());
    } catch (java.io.IOException e) {
      // the server may close the connection while the client is still sending: refused all the same
    }
    healthy();
  }

  @Test
  void oversizedHeadersAndRequestLinesGetA4xxJsonErrorNotACrash() {
    RawHttp.Reply tooManyHeaders = RawHttp.send(null, port(), "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Connection: close\r\nX-Padding: " + "a".repeat(20_000) + "\r\n\r\n");
    assertError(431, "header_too_large", tooManyHeaders.status(), tooManyHeaders.body());
    RawHttp.Reply longLine = RawHttp.send(null, port(), "GET /health?" + "q".repeat(10_000)
        + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    assertError(414, "uri_too_long", longLine.status(), longLine.body());
    RawHttp.Reply garbage = RawHttp.send(null, port(), "\u0001\u0002 nonsense\r\n\r\n");
    assertTrue(garbage.status() == -1 || garbage.status() >= 400 && garbage.status() < 500, garbage.head());
    RawHttp.Reply fine = RawHttp.send(null, port(), "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        + "X-Padding: " + "a".repeat(8_000) + "\r\n\r\n");
    assertEquals(200, fine.status(), "headers within the limit are fine");
    healthy();
  }

  @Test
  void pingsBeyondTheInFlightBoundAreShedAtOnceWith503() throws Exception {
    exchange.buyer("hangs", buyers.bidderJson("hangs", 5_000));
    buyers.buyer("hangs").hang = true;
    exchange.campaign("slow", TestExchange.campaignJson("[{\"mode\":\"auction\",\"buyers\":[\"hangs\"]}]",
        "\"ping_timeout_ms\":5000"));
    int asked = buyers.buyer("hangs").bidRequests.size();
    CompletableFuture<Http.Reply> first = CompletableFuture.supplyAsync(() -> exchange.ping(fastKey, TestExchange.pingBody("slow")));
    while (buyers.buyer("hangs").bidRequests.size() == asked && !first.isDone()) {
      Thread.sleep(5); // the first ping now waits on its buyer until its 5 s deadline
    }
    Http.Reply shed = exchange.ping(fastKey, TestExchange.pingBody("c"));
    assertError(503, "overloaded", shed.status(), shed.body());
    assertEquals("1", shed.headers().firstValue("Retry-After").orElse(null));
    assertTrue(!first.isDone(), "the shed ping did not wait for the one in flight");
    assertEquals(200, first.get().status(), first.get().body());
    healthy();
  }

  private static int port() {
    return Integer.parseInt(exchange.url().substring(exchange.url().lastIndexOf(':') + 1));
  }
}
