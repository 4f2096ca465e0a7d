package org.leadex.exchange.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.leadex.exchange.buyers.BuyerClientSettings;
import org.leadex.exchange.support.TestBuyers;
import org.leadex.exchange.support.TestDatabase;
import org.leadex.exchange.support.TestExchange;

/**
 * A buyer that answered, then stops answering while pings keep coming, is not sent one more call
 * per ping until its calls time out: once enough of its calls are out with no answer for a while,
 * new calls to it are not sent (and not held against it), while a buyer that answers gets every
 * call. Its circuit never
 * opens here (a window of 10,000 calls), so what bounds its calls is the silence rule alone.
 */
class SilentBuyerIT {
  private static final int PINGS = 80;
  private static final long SPACING_MILLIS = 10;
  private static final int ANSWERED_FIRST = 3;
  static TestExchange exchange;
  static TestBuyers buyers;
  static String sellerKey;

  @BeforeAll
  static void start() {
    exchange = TestExchange.start(TestDatabase.fresh("silent_buyer"),
        new BuyerClientSettings(128, 64 * 1024, 1_000, 30_000, 10_000));
    buyers = TestBuyers.start();
    sellerKey = exchange.seller("pub", "{\"type\":\"revenue_share\",\"percent\":80}");
    exchange.buyer("silent", buyers.bidderJson("silent", 1_000));
    exchange.buyer("quick", buyers.bidderJson("quick", 1_000));
    buyers.buyer("silent").bids("9.00");
    buyers.buyer("quick").bids("10.00");
    exchange.campaign("silent", TestExchange.campaignJson(
        "[{\"mode\":\"auction\",\"buyers\":[\"silent\",\"quick\"]}]", "\"ping_timeout_ms\":400"));
  }

  @AfterAll
  static void stop() {
    exchange.close();
    buyers.close();
  }

  @Test
  void aSilentBuyerIsNotSentACallPerPingWhileAnAnsweringOneIs() throws Exception {
    // It answers first: "stopped answering" needs answers to stop (one that never answered is left to its circuit).
    for (int i = 0; i < ANSWERED_FIRST; i++) {
      exchange.ping(sellerKey, TestExchange.pingBody("silent"));
    }
    buyers.buyer("silent").hang = true;
    // 80 pings 10 ms apart, each waiting up to 400 ms for the silent buyer: about 40 at once.
    ExecutorService senders = Executors.newFixedThreadPool(64);
    List<Future<String>> sent = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < PINGS; i++) {
      long at = start + i * SPACING_MILLIS * 1_000_000L;
      sent.add(senders.submit(() -> {
        long wait = at - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        return exchange.ping(sellerKey, TestExchange.pingBody("silent")).text("ping_id");
      }));
    }
    int timeouts = 0;
    int heldBack = 0;
    int quickBids = 0;
    for (Future<String> ping : sent) {
      for (JsonNode call : exchange.trace(ping.get(30, TimeUnit.SECONDS)).get("buyers")) {
        String outcome = call.get("outcome").asText();
        if (call.get("buyer").asText().equals("quick")) {
          quickBids += outcome.equals("bid") ? 1 : 0;
        } else if (outcome.equals("timeout")) {
          timeouts++;
        } else if (outcome.equals("error") && call.path("reason").asText().startsWith("silent buyer")) {
          heldBack++;
        }
      }
    }
    senders.shutdown();
    String run = timeouts + " timeouts, " + heldBack + " held back, " + quickBids + " bids from the answering buyer";
    assertEquals(PINGS, quickBids, run);
    assertEquals(PINGS, timeouts + heldBack, run);
    // Without the rule all 80 calls go out and time out. With it, about 8 to 20 do (the calls sent
    // in its first 100 ms of silence, then one for each that ends by its deadline); the bound leaves
    // room for a slow machine, where a late event loop suspends the rule.
    assertTrue(heldBack >= PINGS / 4, run);
    assertEquals(ANSWERED_FIRST + timeouts, buyers.buyer("silent").bidRequests.size(),
        "every call sent reached the buyer: " + run);
  }
}
