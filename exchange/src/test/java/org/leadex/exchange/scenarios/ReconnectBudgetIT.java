package org.leadex.exchange.scenarios;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.leadex.exchange.buyers.BuyerClientSettings;
import org.leadex.exchange.support.TestBuyers;
import org.leadex.exchange.support.TestDatabase;
import org.leadex.exchange.support.TestExchange;

/**
 * A buyer that never answers is not reconnected to once per ping. Its silent calls are reset only
 * as fast as its reset budget allows (the rest keep their connections, and the bulkhead turns the
 * calls over the pool away without opening anything); and however the calls end, no more new
 * connections are opened to it per second than its connection budget allows.
 */
class ReconnectBudgetIT {
  private static final int PINGS = 60;
  static Setup resets;
  static Setup connects;

  /** An exchange with one silent buyer, served by a buyer server of its own that counts connections. */
  record Setup(TestExchange exchange, TestBuyers buyers, String sellerKey) implements AutoCloseable {
    static Setup start(String name, BuyerClientSettings settings) {
      TestExchange exchange = TestExchange.start(TestDatabase.fresh(name), settings);
      TestBuyers buyers = TestBuyers.start();
      String sellerKey = exchange.seller("pub", "{\"type\":\"revenue_share\",\"percent\":80}");
      exchange.buyer("silent", buyers.bidderJson("silent", 100));
      buyers.buyer("silent").hang = true;
      exchange.campaign("silent", TestExchange.campaignJson("[{\"mode\":\"auction\",\"buyers\":[\"silent\"]}]",
          "\"ping_timeout_ms\":40"));
      return new Setup(exchange, buyers, sellerKey);
    }

    /** Sends the pings one after another; returns how many calls ended as {@code timeout}, and the seconds taken. */
    Run pings(String refusal) {
      long start = System.nanoTime();
      int timeouts = 0;
      int refused = 0;
      for (int i = 0; i < PINGS; i++) {
        String pingId = exchange.ping(sellerKey, TestExchange.pingBody("silent")).text("ping_id");
        JsonNode call = exchange.trace(pingId).get("buyers").get(0);
        String outcome = call.get("outcome").asText();
        if (outcome.equals("timeout")) {
          timeouts++;
        } else if (outcome.equals("error") && call.path("reason").asText().startsWith(refusal)) {
          refused++;
        }
      }
      return new Run(timeouts, refused, (System.nanoTime() - start) / 1e9, buyers.connectionsOpened.get());
    }

    @Override
    public void close() {
      exchange.close();
      buyers.close();
    }
  }

  record Run(int timeouts, int refused, double seconds, int opened) {}

  @BeforeAll
  static void start() {
    // Silent calls are due for reset 10 ms after their deadline, and circuits never open here.
    // Without a budget every ping resets its call and opens a new connection: ~60 connections.
    resets = Setup.start("reconnect_resets", new BuyerClientSettings(4, 64 * 1024, 10, 30_000, 10_000, 2, 10_000));
    connects = Setup.start("reconnect_connects", new BuyerClientSettings(128, 64 * 1024, 10, 30_000, 10_000, 10_000, 3));
  }

  @AfterAll
  static void stop() {
    resets.close();
    connects.close();
  }

  @Test
  void silentCallsAreResetNoFasterThanTheResetBudget() {
    Run run = resets.pings("bulkhead");
    // the pool of 4 fills once; after that a connection opens only where a reset freed one (2 a second)
    int bound = 4 + 2 + (int) Math.ceil(2 * run.seconds());
    assertTrue(run.opened() <= bound, run + ": over the bound " + bound);
    assertTrue(run.opened() > 4, "the budget let no reset through: " + run);
    assertTrue(run.refused() > 0 && run.timeouts() + run.refused() == PINGS, run.toString());
  }

  @Test
  void noMoreConnectionsOpenAsecondThanTheConnectionBudget() {
    Run run = connects.pings("connection budget");
    // every silent call is reset at once, so every ping needs a new connection: 3 a second, 3 at once
    int bound = 3 + (int) Math.ceil(3 * run.seconds());
    assertTrue(run.opened() <= bound, run + ": over the bound " + bound);
    assertTrue(run.refused() > 0 && run.timeouts() + run.refused() == PINGS, run.toString());
    assertTrue(run.timeouts() >= run.opened() - 1, "calls that got a connection time out: " + run);
  }
}
