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
 * A buyer that never answers is not reconnected to once per ping: its silent calls are reset only
 * as fast as its reset budget allows, the rest keep their connections, and the bulkhead turns the
 * calls over the pool away without opening anything.
 */
class ReconnectBudgetIT {
  private static final int POOL = 4;
  private static final int RESETS_PER_SECOND = 2;
  static TestExchange exchange;
  static TestBuyers buyers;
  static String sellerKey;

  @BeforeAll
  static void start() {
    // silent calls are due for reset 10 ms after their deadline; a circuit that never opens here
    exchange = TestExchange.start(TestDatabase.fresh("reconnects"),
        new BuyerClientSettings(POOL, 64 * 1024, 10, 30_000, 10_000, RESETS_PER_SECOND));
    buyers = TestBuyers.start();
    sellerKey = exchange.seller("pub", "{\"type\":\"revenue_share\",\"percent\":80}");
    exchange.buyer("silent", buyers.bidderJson("silent", 100));
    buyers.buyer("silent").hang = true;
    exchange.campaign("silent", TestExchange.campaignJson("[{\"mode\":\"auction\",\"buyers\":[\"silent\"]}]",
        "\"ping_timeout_ms\":40"));
  }

  @AfterAll
  static void stop() {
    exchange.close();
    buyers.close();
  }

  @Test
  void silentCallsAreResetNoFasterThanTheBudgetSoReconnectsStayBounded() {
    long start = System.nanoTime();
    int timeouts = 0;
    int turnedAway = 0;
    for (int i = 0; i < 60; i++) {
      String pingId = exchange.ping(sellerKey, TestExchange.pingBody("silent")).text("ping_id");
      JsonNode call = exchange.trace(pingId).get("buyers").get(0);
      String outcome = call.get("outcome").asText();
      if (outcome.equals("timeout")) {
        timeouts++;
      } else if (outcome.equals("error") && call.path("reason").asText().startsWith("bulkhead")) {
        turnedAway++;
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    int opened = buyers.connectionsOpened.get();
    // Without the budget every ping resets its call 10 ms after the deadline and opens a new connection: ~60.
    int bound = POOL + RESETS_PER_SECOND + (int) Math.ceil(RESETS_PER_SECOND * seconds);
    assertTrue(opened <= bound, opened + " connections in " + seconds + " s, over the bound " + bound);
    assertTrue(opened > POOL, "the budget let no reset through: " + opened + " connections");
    assertTrue(turnedAway > 0 && timeouts + turnedAway == 60,
        "timeouts " + timeouts + ", turned away by the bulkhead " + turnedAway);
  }
}
