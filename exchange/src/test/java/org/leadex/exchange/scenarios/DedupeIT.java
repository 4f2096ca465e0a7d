package org.leadex.exchange.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.leadex.exchange.support.Http;
import org.leadex.exchange.support.TestBuyers;
import org.leadex.exchange.support.TestDatabase;
import org.leadex.exchange.support.TestExchange;

/** The campaign's dedupe window: one person is sold once, however the seller writes the phone or e-mail. */
class DedupeIT {
  static TestExchange exchange;
  static TestBuyers buyers;
  static String sellerKey;

  @BeforeAll
  static void start() {
    exchange = TestExchange.start(TestDatabase.fresh("dedupe"));
    buyers = TestBuyers.start();
    sellerKey = exchange.seller("pub", "{\"type\":\"revenue_share\",\"percent\":80}");
    exchange.buyer("b", buyers.fixedPriceJson("b", "5.00"));
    exchange.campaign("d", TestExchange.campaignJson("[{\"mode\":\"auction\",\"buyers\":[\"b\"]}]", "\"dedupe_days\":30"));
    exchange.campaign("other", TestExchange.campaignJson("[{\"mode\":\"auction\",\"buyers\":[\"b\"]}]", "\"dedupe_days\":30"));
  }

  @AfterAll
  static void stop() {
    exchange.close();
    buyers.close();
  }

  private static Http.Reply direct(String campaign, String phone, String email, boolean test) {
    return exchange.call("POST", "/v1/leads", sellerKey, "{\"campaign\":\"" + campaign + "\",\"source\":\"s\","
        + (test ? "\"test\":true," : "") + "\"lead\":{\"zip\":\"90210\",\"state\":\"CA\",\"age\":40,\"phone\":\""
        + phone + "\",\"email\":\"" + email + "\"}}");
  }

  @Test
  void aPersonSoldOnceIsADuplicateWhateverTheFormatting() {
    assertEquals("sold", direct("d", "+1 310 555 0101", "ana@example.com", false).text("status"));
    Http.Reply samePhone = direct("d", "(310) 555-0101", "someone.else@example.com", false);
    assertEquals("unsold", samePhone.text("status"), samePhone.body());
    assertEquals("duplicate_lead", samePhone.text("reason"));
    Http.Reply sameEmail = direct("d", "+1 310 555 0199", "  ANA@Example.com ", false);
    assertEquals("duplicate_lead", sameEmail.text("reason"), sameEmail.body());
    // another campaign has its own window; test traffic never counts
    assertEquals("sold", direct("other", "(310) 555-0101", "ana@example.com", false).text("status"));
    assertEquals("sold", direct("d", "(310) 555-0101", "ana@example.com", true).text("status"));
  }

  @Test
  void concurrentPostsOfOnePersonSellOnce() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(6);
    List<Future<Http.Reply>> replies = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      replies.add(pool.submit(() -> direct("d", "3105550177", "x" + Thread.currentThread().getId() + "@example.com", false)));
    }
    int sold = 0;
    for (Future<Http.Reply> reply : replies) {
      sold += "sold".equals(reply.get().text("status")) ? 1 : 0;
    }
    pool.shutdown();
    assertEquals(1, sold);
  }

  @Test
  void aLeadNobodyBoughtFreesItsContacts() {
    exchange.buyer("picky", buyers.fixedPriceJson("picky", "5.00"));
    buyers.buyer("picky").rejects();
    exchange.campaign("picky", TestExchange.campaignJson("[{\"mode\":\"auction\",\"buyers\":[\"picky\"]}]", "\"dedupe_days\":30"));
    assertEquals("rejected", direct("picky", "3105550188", "p@example.com", false).text("reason"));
    buyers.buyer("picky").accept = true;
    assertEquals("sold", direct("picky", "3105550188", "p@example.com", false).text("status"));
  }
}
