package org.leadex.exchange.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.leadex.exchange.postgres.LocalPostgres;
import org.leadex.exchange.support.Http;
import org.leadex.exchange.support.TestBuyers;
import org.leadex.exchange.support.TestExchange;

/**
 * PostgreSQL stopped and started again under a seller's stream of pings and posts. Pings go on
 * (they never wait on the database: buyers are asked, the answer given, the record buffered and
 * written once the database is back); posts answer 503 {@code unavailable} while it is away and
 * never {@code sold} without a committed sale; the exchange serves normally again by itself.
 *
 * <p>This test has a PostgreSQL of its own (the shared test server must not be stopped).
 */
class DatabaseRestartIT {

  private record Sent(String kind, long atNanos, String pingId, Http.Reply reply) {}

  @Test
  void pingsGoOnPostsSayUnavailableAndTheExchangeRecoversByItselfWhenTheDatabaseComesBack() throws Exception {
    LocalPostgres pg = LocalPostgres.start(Path.of("target", "restart-pg"),
        List.of("fsync=off", "synchronous_commit=off", "full_page_writes=off"));
    try {
      pg.dropDatabase("restart");
      pg.ensureDatabase("restart");
      try (TestBuyers buyers = TestBuyers.start(); TestExchange exchange = TestExchange.start(pg.url("restart"))) {
        String seller = exchange.seller("pub", "{\"type\":\"revenue_share\",\"percent\":50}");
        exchange.buyer("b", buyers.bidderJson("b", 1_000));
        buyers.buyer("b").bids("4.00").postDelayMillis = 200;
        exchange.campaign("c", TestExchange.campaignJson("[{\"mode\":\"auction\",\"buyers\":[\"b\"]}]", ""));
        String warm = exchange.ping(seller, TestExchange.pingBody("c")).text("ping_id");
        assertEquals("sold", exchange.post(seller, warm, TestExchange.FULL_LEAD).text("status"));

        List<Sent> sent = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean running = new AtomicBoolean(true);
        // a seller pinging, and posting every bid ping at once, in parallel: a post that waits on the
        // database holds up no other request
        java.util.concurrent.ExecutorService posting = java.util.concurrent.Executors.newFixedThreadPool(32);
        Thread pinging = new Thread(() -> {
          while (running.get()) {
            Http.Reply ping = exchange.ping(seller, TestExchange.pingBody("c"));
            String pingId = ping.text("ping_id");
            sent.add(new Sent("ping", System.nanoTime(), pingId, ping));
            if ("bid".equals(ping.text("status"))) {
              long at = System.nanoTime();
              posting.submit(() -> sent.add(new Sent("post", at, pingId,
                  exchange.post(seller, pingId, TestExchange.FULL_LEAD))));
            }
            pause(50);
          }
        }, "pinging");
        pinging.start();
        Thread.sleep(1_000);
        long down = System.nanoTime();
        pg.stopNow();
        Thread.sleep(3_000);
        pg.startAgain();
        long up = System.nanoTime();
        // back to normal without a restart of the exchange: a post after the restart sells
        // (a synchronized list's stream is not synchronized: read it under its lock while others add)
        java.util.function.BooleanSupplier soldSinceUp = () -> {
          synchronized (sent) {
            return sent.stream().anyMatch(s -> s.atNanos() > up && s.kind().equals("post")
                && "sold".equals(s.reply().text("status")));
          }
        };
        for (int i = 0; i < 300 && !soldSinceUp.getAsBoolean(); i++) {
          Thread.sleep(100);
        }
        running.set(false);
        pinging.join(60_000);
        posting.shutdown();
        assertTrue(posting.awaitTermination(60, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(200, exchange.admin("GET", "/health", null).status());

        List<Sent> all;
        synchronized (sent) {
          all = new ArrayList<>(sent);
        }
        List<Sent> pings = all.stream().filter(s -> s.kind().equals("ping")).toList();
        assertTrue(pings.stream().anyMatch(s -> s.atNanos() > down && s.atNanos() < up), "pings while it was down");
        for (Sent s : pings) {
          assertEquals("bid", s.reply().text("status"), "pings go on: " + s.reply().body());
        }
        List<Sent> posts = all.stream().filter(s -> s.kind().equals("post")).toList();
        assertTrue(posts.stream().anyMatch(s -> s.reply().status() == 503), () -> "some post met the database away: "
            + posts.stream().map(s -> (s.atNanos() - down) / 1_000_000 + "ms " + s.reply().status() + " "
                + s.reply().millis() + "ms " + s.reply().body()).toList());
        assertTrue(posts.stream().anyMatch(s -> s.atNanos() > up && "sold".equals(s.reply().text("status"))));
        try (Connection c = exchange.jdbc()) {
          for (Sent s : posts) {
            Http.Reply reply = s.reply();
            if (reply.status() == 503) {
              assertEquals("unavailable", reply.text("error"), reply.body());
              // its repeat, now, gets the lead's recorded outcome (or, never posted, a fresh one)
              reply = exchange.post(seller, s.pingId(), TestExchange.FULL_LEAD);
            }
            assertEquals(200, reply.status(), reply.body());
            String status = reply.text("status");
            assertTrue(status.equals("sold") || status.equals("unsold"), reply.body());
            if (status.equals("sold")) {
              assertSaleRecorded(c, reply.text("lead_id"), reply.json().get("price").decimalValue());
            }
          }
          // every ping answered while the database was away was written once it came back
          for (int i = 0; i < 100 && count(c, pings) < pings.size(); i++) {
            Thread.sleep(100);
          }
          assertEquals(pings.size(), count(c, pings));
          try (ResultSet r = c.createStatement().executeQuery("select count(*) from leads where status = 'delivering'")) {
            r.next();
            assertEquals(0, r.getInt(1), "no lead is left delivering");
          }
        }
      }
    } finally {
      pg.close();
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void assertSaleRecorded(Connection c, String leadId, BigDecimal price) throws Exception {
    try (PreparedStatement q = c.prepareStatement("select count(*), sum(s.seller_payout_cents), max(l.seller_price_cents)"
        + " from sales s join leads l on l.id = s.lead_id where s.lead_id = ?::uuid and l.status = 'sold'")) {
      q.setString(1, leadId);
      try (ResultSet r = q.executeQuery()) {
        r.next();
        assertEquals(1, r.getInt(1), "one sale for lead " + leadId);
        long cents = price.movePointRight(2).longValueExact();
        assertEquals(cents, r.getLong(2));
        assertEquals(cents, r.getLong(3));
      }
    }
  }

  private static int count(Connection c, List<Sent> pings) throws Exception {
    try (PreparedStatement q = c.prepareStatement("select count(*) from pings where id = any(?::uuid[])")) {
      q.setArray(1, c.createArrayOf("text", pings.stream().map(Sent::pingId).toArray()));
      try (ResultSet r = q.executeQuery()) {
        r.next();
        return r.getInt(1);
      }
    }
  }
}
