package org.leadex.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.leadex.simulator.config.BuyerConfig;
import org.leadex.simulator.config.Json;
import org.leadex.simulator.config.Presets;
import org.leadex.simulator.stats.SimulatorStats;

/**
 * The load test's controls: a storm makes the chosen share of the buyers hang and then lets them
 * answer again, and the connection counter counts the TCP connections clients open.
 */
class StormAndConnectionsTest {
  static SimulatorFixture fixture;

  @BeforeAll
  static void start() {
    fixture = new SimulatorFixture();
  }

  @AfterAll
  static void stop() throws Exception {
    fixture.close();
  }

  @Test
  void a_storm_makes_half_of_the_buyers_hang_until_it_is_ended() throws Exception {
    BuyerSimulator sim = fixture.start(5, BuyerConfig.group("s", 4, Presets.fast()));
    try {
      String control = "http://127.0.0.1:" + sim.port() + "/control/storm";
      HttpResponse<String> started = TestHttp.post(control, "{\"share\":0.5,\"seconds\":600}");
      assertEquals(200, started.statusCode(), started.body());
      JsonNode state = Json.MAPPER.readTree(started.body());
      assertTrue(state.get("active").asBoolean());
      assertEquals("[\"s-001\",\"s-002\"]", state.get("buyers").toString(),
          "the first half, in configuration order");

      // All four asked at once: the first two never answer, the other two answer at once.
      List<CompletableFuture<HttpResponse<String>>> asked = new ArrayList<>();
      for (String id : sim.buyerIds()) {
        asked.add(TestHttp.newClient().sendAsync(
            TestHttp.postRequest(sim.bidUrl(id), TestHttp.bid("CA", 50), Duration.ofSeconds(1)),
            HttpResponse.BodyHandlers.ofString()));
      }
      for (int i = 0; i < 4; i++) {
        CompletableFuture<HttpResponse<String>> answer = asked.get(i);
        if (i < 2) {
          Exception e = assertThrows(Exception.class, answer::join);
          assertTrue(e.getCause() instanceof HttpTimeoutException, "s-00" + (i + 1) + " hangs: " + e);
        } else {
          assertEquals(200, answer.join().statusCode(), "s-00" + (i + 1) + " still bids");
        }
      }
      assertEquals(1, sim.stats("s-001").stormHangs());
      assertEquals(0, sim.stats("s-001").bidRequests(), "a storm hang is no decision");
      assertEquals(1, sim.stats("s-003").bids());
      assertEquals(0, sim.stats("s-003").stormHangs());

      HttpResponse<String> ended = TestHttp.CLIENT.send(java.net.http.HttpRequest.newBuilder(
          java.net.URI.create(control)).DELETE().build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, ended.statusCode());
      assertEquals(false, Json.MAPPER.readTree(ended.body()).get("active").asBoolean());
      assertEquals(200, TestHttp.post(sim.bidUrl("s-001"), TestHttp.bid("CA", 50)).statusCode(),
          "the buyer is back");
      assertEquals(1, sim.stats("s-001").bids());
    } finally {
      SimulatorFixture.stop(sim);
    }
  }

  @Test
  void a_storm_ends_by_itself_and_refuses_nonsense() throws Exception {
    BuyerSimulator sim = fixture.start(6, BuyerConfig.group("t", 3, Presets.fast()));
    try {
      String control = "http://127.0.0.1:" + sim.port() + "/control/storm";
      assertEquals(400, TestHttp.post(control, "{\"share\":1.5,\"seconds\":10}").statusCode());
      assertEquals(400, TestHttp.post(control, "{\"share\":0.5}").statusCode());
      assertEquals(400, TestHttp.post(control, "{\"buyers\":[\"nobody\"],\"seconds\":1}").statusCode());
      assertEquals(false, Json.MAPPER.readTree(TestHttp.get(control).body()).get("active").asBoolean());

      sim.storm().start(List.of("t-003"), Duration.ofMillis(300));
      waitFor(() -> !readActive(control), "the storm ends after its 300 ms");
      assertEquals(200, TestHttp.post(sim.bidUrl("t-003"), TestHttp.bid("CA", 50)).statusCode());
    } finally {
      SimulatorFixture.stop(sim);
    }
  }

  @Test
  void the_connection_counter_counts_each_new_tcp_connection() throws Exception {
    BuyerSimulator sim = fixture.start(7, BuyerConfig.group("c", 1, Presets.fast()));
    try {
      // The fixture's /health call may still be open on the shared client: count from here.
      long before = sim.connections().openedTotal();
      long openBefore = sim.connections().open();
      List<Socket> sockets = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        // A request on each: the server knows a connection is HTTP/1.1 (not h2c) from its
        // first bytes, and counts it then; a client that opens a connection always sends one.
        Socket socket = new Socket("127.0.0.1", sim.port());
        socket.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n"
            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        sockets.add(socket);
      }
      waitFor(() -> sim.connections().openedTotal() == before + 3, "three accepts counted");
      assertEquals(openBefore + 3, sim.connections().open());
      for (Socket s : sockets) {
        s.close();
      }
      waitFor(() -> sim.connections().open() == openBefore, "and their closes");

      // A client that keeps its connection alive opens one for many requests.
      HttpClient keepAlive = TestHttp.newClient();
      for (int i = 0; i < 5; i++) {
        keepAlive.send(TestHttp.postRequest(sim.bidUrl("c-001"), TestHttp.bid("CA", 50),
            Duration.ofSeconds(10)), HttpResponse.BodyHandlers.ofString());
      }
      assertEquals(before + 4, sim.connections().openedTotal());

      // The per-second series adds up to the total once a tick has passed, over HTTP too.
      String url = "http://127.0.0.1:" + sim.port() + "/stats/connections";
      waitFor(() -> seriesSum(url) == sim.connections().openedTotal(), "the series catches up");
      HttpResponse<String> stats = TestHttp.get(sim.statsUrl());
      JsonNode json = Json.MAPPER.readTree(stats.body());
      assertTrue(json.get("connections").get("opened").asLong() >= before + 4);
      assertEquals(sim.stats(), SimulatorStats.parse(stats.body()), "the buyers' part is unchanged");
    } finally {
      SimulatorFixture.stop(sim);
    }
  }

  private static long seriesSum(String url) {
    try {
      long sum = 0;
      for (JsonNode s : Json.MAPPER.readTree(TestHttp.get(url).body()).get("per_second")) {
        sum += s.get("opened").asLong();
      }
      return sum;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean readActive(String control) {
    try {
      return Json.MAPPER.readTree(TestHttp.get(control).body()).get("active").asBoolean();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Waits (at most 20 s, only so a broken build ends) for something that must happen. */
  private static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
    long end = System.nanoTime() + 20_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("never happened: " + what);
      }
      Thread.sleep(20);
    }
  }
}
