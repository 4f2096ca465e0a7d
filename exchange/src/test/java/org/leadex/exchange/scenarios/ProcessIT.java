package org.leadex.exchange.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.leadex.exchange.support.Http;
import org.leadex.exchange.support.TestBuyers;
import org.leadex.exchange.support.TestDatabase;
import org.leadex.exchange.support.TestExchange;

/** The exchange as an operating-system process: its settings, its ready line, SIGTERM. */
class ProcessIT {

  private static Process launch(List<String> args, String databaseUrl) throws Exception {
    List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
        "-cp", System.getProperty("java.class.path"), "org.leadex.exchange.ExchangeMain"));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().remove("DATABASE_URL");
    if (databaseUrl != null) {
      builder.environment().put("DATABASE_URL", databaseUrl);
    }
    builder.environment().put("EXCHANGE_ADMIN_KEY", TestExchange.ADMIN_KEY);
    return builder.start();
  }

  @Test
  void aWrongSettingExitsNonZeroWithAClearMessage() throws Exception {
    Process p = launch(List.of("--port", "99999"), "postgresql://x@127.0.0.1:1/x");
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(2, p.exitValue(), out);
    assertTrue(out.contains("EXCHANGE_PORT must be between 0 and 65535"), out);

    Process badLog = launch(List.of("--log-format", "xml"), "postgresql://x@127.0.0.1:1/x");
    String badLogOut = new String(badLog.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(badLog.waitFor(60, TimeUnit.SECONDS));
    assertEquals(2, badLog.exitValue(), badLogOut);
    assertTrue(badLogOut.contains("--log-format must be text or json"), badLogOut);

    Process noDb = launch(List.of("--port", "0"), "postgresql://x@127.0.0.1:1/x");
    String noDbOut = new String(noDb.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(noDb.waitFor(60, TimeUnit.SECONDS));
    assertEquals(1, noDb.exitValue(), noDbOut);
    assertTrue(noDbOut.contains("could not start"), noDbOut);
  }

  @Test
  void sigtermLetsAnInFlightPostFinishThenExitsCleanly() throws Exception {
    String db = TestDatabase.fresh("process");
    try (TestBuyers buyers = TestBuyers.start()) {
      int port;
      try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
        port = s.getLocalPort();
      }
      // a cold JVM on a loaded machine lags: shed nothing here (LoopLagTest covers shedding)
      Process p = launch(List.of("--port", String.valueOf(port), "--drain-seconds", "10", "--log-format", "json",
          "--max-loop-lag-ms", "5000"), db);
      Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly)); // no orphan if an assertion fails
      BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());
      CompletableFuture<Void> ready = new CompletableFuture<>();
      Thread reader = new Thread(() -> lines.lines().forEach(line -> {
        log.add(line);
        if (line.contains("exchange ready on port")) {
          ready.complete(null);
        }
      }));
      reader.start();
      ready.get(90, TimeUnit.SECONDS);
      String url = "http://127.0.0.1:" + port;
      String seller = Http.send("PUT", url + "/v1/admin/sellers/pub", TestExchange.ADMIN_KEY,
          "{\"name\":\"pub\",\"payout\":{\"type\":\"revenue_share\",\"percent\":80}}").text("api_key");
      Http.send("PUT", url + "/v1/admin/buyers/b", TestExchange.ADMIN_KEY, buyers.bidderJson("b", 2_000));
      // a cold process: give the first bid call time to connect and compile
      Http.send("PUT", url + "/v1/admin/campaigns/c", TestExchange.ADMIN_KEY,
          TestExchange.campaignJson("[{\"mode\":\"auction\",\"buyers\":[\"b\"]}]", "\"ping_timeout_ms\":2000"));
      buyers.buyer("b").bids("5.00");
      // A first sale while running normally: its log line is checked below (java.util.logging's own
      // shutdown hook may close the log before a sale made during the drain is written).
      String firstPing = null;
      for (int i = 0; i < 3 && firstPing == null; i++) {
        Http.Reply warm = Http.send("POST", url + "/v1/ping", seller, TestExchange.pingBody("c"));
        if ("bid".equals(warm.text("status"))) {
          firstPing = warm.text("ping_id");
          assertEquals("sold", Http.send("POST", url + "/v1/post", seller, "{\"ping_id\":\"" + firstPing
              + "\",\"lead\":" + TestExchange.FULL_LEAD + "}").text("status"));
        }
      }
      assertTrue(firstPing != null, String.join("\n", log));
      String loggedPing = firstPing;
      buyers.buyer("b").postDelayMillis = 1_500; // the post is in flight when SIGTERM comes
      Http.Reply ping = Http.send("POST", url + "/v1/ping", seller, TestExchange.pingBody("c"));
      assertEquals("bid", ping.text("status"), ping.body() + "\n" + String.join("\n", log));
      String pingId = ping.text("ping_id");
      CompletableFuture<Http.Reply> post = CompletableFuture.supplyAsync(() -> Http.send("POST", url + "/v1/post",
          seller, "{\"ping_id\":\"" + pingId + "\",\"lead\":" + TestExchange.FULL_LEAD + "}"));
      Thread.sleep(500);
      p.toHandle().destroy(); // SIGTERM
      Http.Reply reply = post.get(30, TimeUnit.SECONDS);
      assertEquals(200, reply.status(), reply.body());
      assertEquals("sold", reply.text("status"), reply.body() + "\n" + String.join("\n", log));
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "did not exit");
      reader.join(5_000);
      assertTrue(log.stream().anyMatch(l -> l.contains("exchange: stopped cleanly")), String.join("\n", log));
      // --log-format json: the exchange's own lines are JSON, the sale's line names its ping, no PII
      String readyLine = log.stream().filter(l -> l.contains("exchange ready on port")).findFirst().orElseThrow();
      assertEquals("INFO", org.leadex.exchange.json.Json.parse(readyLine).get("level").asText(), readyLine);
      assertTrue(log.stream().anyMatch(l -> l.startsWith("{") && l.contains("\"ping_id\":\"" + loggedPing + "\"")),
          String.join("\n", log));
      assertTrue(log.stream().noneMatch(l -> l.contains("ana@example.com")), String.join("\n", log));
      // the sale and its ping were written before exit: a new instance finds both
      try (TestExchange again = TestExchange.start(db)) {
        Http.Reply repeat = again.post(seller, pingId, TestExchange.FULL_LEAD);
        assertEquals("sold", repeat.text("status"), repeat.body());
        assertEquals(reply.text("lead_id"), repeat.text("lead_id"));
        assertEquals("b", again.trace(pingId).get("winner").asText());
      }
    }
  }
}
