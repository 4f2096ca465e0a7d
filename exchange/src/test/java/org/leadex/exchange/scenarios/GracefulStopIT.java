package org.leadex.exchange.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.leadex.exchange.support.ExchangeProcess;
import org.leadex.exchange.support.Http;
import org.leadex.exchange.support.TestBuyers;
import org.leadex.exchange.support.TestDatabase;
import org.leadex.exchange.support.TestExchange;

/**
 * SIGTERM with pings and posts in flight: they finish and are recorded, then the process exits,
 * within its drain bound even when a buyer would hold a post far longer.
 */
class GracefulStopIT {

  @Test
  void sigtermLetsInFlightPingsAndPostsFinishAndExitsWithinItsDrainBound() throws Exception {
    String db = TestDatabase.fresh("stop");
    ExecutorService sellers = Executors.newFixedThreadPool(32);
    try (TestBuyers buyers = TestBuyers.start();
         ExchangeProcess exchange = ExchangeProcess.start(db, "--drain-seconds", "3")) {
      String url = exchange.url();
      String seller = Http.send("PUT", url + "/v1/admin/sellers/pub", TestExchange.ADMIN_KEY,
          "{\"name\":\"pub\",\"payout\":{\"type\":\"revenue_share\",\"percent\":80}}").text("api_key");
      Http.send("PUT", url + "/v1/admin/buyers/b", TestExchange.ADMIN_KEY, buyers.bidderJson("b", 5_000));
      Http.send("PUT", url + "/v1/admin/buyers/slow", TestExchange.ADMIN_KEY, buyers.bidderJson("slow", 5_000));
      Http.send("PUT", url + "/v1/admin/campaigns/c", TestExchange.ADMIN_KEY,
          TestExchange.campaignJson("[{\"mode\":\"auction\",\"buyers\":[\"b\"]}]", "\"ping_timeout_ms\":5000"));
      Http.send("PUT", url + "/v1/admin/campaigns/hold", TestExchange.ADMIN_KEY,
          TestExchange.campaignJson("[{\"mode\":\"auction\",\"buyers\":[\"slow\"]}]",
              "\"ping_timeout_ms\":5000,\"post_timeout_ms\":60000"));
      buyers.buyer("b").bids("5.00");
      buyers.buyer("slow").bids("5.00");
      List<String> toPost = new ArrayList<>();
      for (int i = 0; toPost.size() < 8 && i < 40; i++) { // a cold process: its first bid calls may be late
        Http.Reply ping = Http.send("POST", url + "/v1/ping", seller, TestExchange.pingBody("c"));
        if ("bid".equals(ping.text("status"))) {
          toPost.add(ping.text("ping_id"));
        }
      }
      assertEquals(8, toPost.size());
      buyers.buyer("b").bidRequests.clear(); // counted from here
      String held = Http.send("POST", url + "/v1/ping", seller, TestExchange.pingBody("hold")).text("ping_id");
      buyers.buyer("b").delayMillis = 400;      // pings in flight for 0.4 s (under the 1 s silence limit)
      buyers.buyer("b").postDelayMillis = 1_500; // posts for 1.5 s
      buyers.buyer("slow").postDelayMillis = 45_000; // far beyond the drain bound
      int bidsBefore = buyers.buyer("b").bidRequests.size();
      int postsBefore = buyers.buyer("b").postRequests.size();

      List<CompletableFuture<Http.Reply>> pings = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        pings.add(CompletableFuture.supplyAsync(() -> Http.send("POST", url + "/v1/ping", seller,
            TestExchange.pingBody("c")), sellers));
      }
      List<CompletableFuture<Http.Reply>> posts = new ArrayList<>();
      for (String pingId : toPost) {
        posts.add(CompletableFuture.supplyAsync(() -> Http.send("POST", url + "/v1/post", seller,
            "{\"ping_id\":\"" + pingId + "\",\"lead\":" + TestExchange.FULL_LEAD + "}"), sellers));
      }
      CompletableFuture<Http.Reply> cut = CompletableFuture.supplyAsync(() -> Http.send("POST", url + "/v1/post",
          seller, "{\"ping_id\":\"" + held + "\",\"lead\":" + TestExchange.FULL_LEAD + "}"), sellers);
      for (int i = 0; i < 200 && (buyers.buyer("b").bidRequests.size() < bidsBefore + 16
          || buyers.buyer("b").postRequests.size() < postsBefore + 8 || buyers.buyer("slow").postRequests.isEmpty()); i++) {
        Thread.sleep(25);
      }
      assertEquals(bidsBefore + 16, buyers.buyer("b").bidRequests.size(), "all pings in flight");
      assertEquals(postsBefore + 8, buyers.buyer("b").postRequests.size(), "all posts in flight");

      long sigterm = System.nanoTime();
      exchange.terminate();
      List<String> pingIds = new ArrayList<>();
      List<Http.Reply> pingReplies = new ArrayList<>();
      for (CompletableFuture<Http.Reply> f : pings) {
        Http.Reply reply = f.get(60, TimeUnit.SECONDS);
        assertEquals(200, reply.status(), reply.body());
        pingReplies.add(reply);
        pingIds.add(reply.text("ping_id"));
      }
      List<String> leadIds = new ArrayList<>();
      for (CompletableFuture<Http.Reply> f : posts) {
        Http.Reply reply = f.get(60, TimeUnit.SECONDS);
        assertEquals(200, reply.status(), reply.body());
        assertEquals("sold", reply.text("status"), reply.body());
        leadIds.add(reply.text("lead_id"));
      }
      assertTrue(exchange.waitForExit(60), "did not exit");
      long exitedAfterMillis = (System.nanoTime() - sigterm) / 1_000_000;
      // the held post is cut at the drain bound (3 s), long before its buyer's 45 s: the bound holds
      assertTrue(exitedAfterMillis < 30_000, "exited " + exitedAfterMillis + " ms after SIGTERM");
      assertTrue(cut.handle((reply, failure) -> failure != null || reply.status() != 200).get(),
          "the post beyond the bound gets no answer");
      String log = exchange.output();
      assertTrue(log.contains("exchange: stopping (SIGTERM)"), log);
      assertTrue(log.contains("exchange: stopped; 1 lead deliveries outlasted the drain bound"), log);

      // what was answered was recorded before the exit
      try (Connection c = java.sql.DriverManager.getConnection(
          db.replace("postgresql://", "jdbc:postgresql://").replace("exchange@", ""), "exchange", "")) {
        assertEquals(16, count(c, "select count(*) from pings where id = any(?::uuid[])", pingIds));
        for (Http.Reply reply : pingReplies) {
          assertEquals("bid", reply.text("status"), () -> reply.body() + " " + outcomes(c, reply.text("ping_id")));
        }
        assertEquals(8, count(c, "select count(*) from sales s join leads l on l.id = s.lead_id"
            + " where l.status = 'sold' and l.id = any(?::uuid[])", leadIds));
      }
    } finally {
      sellers.shutdownNow();
    }
  }

  private static String outcomes(Connection c, String pingId) {
    try (PreparedStatement q = c.prepareStatement("select outcome, latency_us, detail from bids where ping_id = ?::uuid")) {
      q.setString(1, pingId);
      StringBuilder out = new StringBuilder();
      try (ResultSet r = q.executeQuery()) {
        while (r.next()) {
          out.append(r.getInt(1)).append(' ').append(r.getLong(2)).append("us ").append(r.getString(3)).append("; ");
        }
      }
      return out.toString();
    } catch (Exception e) {
      return e.toString();
    }
  }

  private static int count(Connection c, String sql, List<String> ids) throws Exception {
    try (PreparedStatement q = c.prepareStatement(sql)) {
      q.setArray(1, c.createArrayOf("text", ids.toArray()));
      try (ResultSet r = q.executeQuery()) {
        r.next();
        return r.getInt(1);
      }
    }
  }
}
