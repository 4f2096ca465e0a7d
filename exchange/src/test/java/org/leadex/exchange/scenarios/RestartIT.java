package org.leadex.exchange.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.leadex.exchange.support.Http;
import org.leadex.exchange.support.TestBuyers;
import org.leadex.exchange.support.TestDatabase;
import org.leadex.exchange.support.TestExchange;

/** Sales outlive the process: an exchange stopped and started again on the same database keeps them. */
class RestartIT {

  @Test
  void aRestartKeepsEverySaleAndItsAnswer() {
    String db = TestDatabase.fresh("restart");
    try (TestBuyers buyers = TestBuyers.start()) {
      buyers.buyer("b").bids("8.00");
      String sellerKey;
      String[] pingIds = new String[5];
      String[] leadIds = new String[5];
      TestExchange first = TestExchange.start(db);
      try {
        sellerKey = first.seller("pub", "{\"type\":\"revenue_share\",\"percent\":50}");
        first.buyer("b", buyers.bidderJson("b", 1_000));
        first.campaign("c", TestExchange.campaignJson("[{\"mode\":\"auction\",\"buyers\":[\"b\"]}]", ""));
        for (int i = 0; i < pingIds.length; i++) {
          pingIds[i] = first.ping(sellerKey, TestExchange.pingBody("c")).text("ping_id");
          Http.Reply post = first.post(sellerKey, pingIds[i], TestExchange.FULL_LEAD);
          assertEquals("sold", post.text("status"), post.body());
          leadIds[i] = post.text("lead_id");
        }
      } finally {
        first.close();
      }
      int delivered = buyers.buyer("b").postRequests.size();
      TestExchange second = TestExchange.start(db);
      try {
        for (int i = 0; i < pingIds.length; i++) {
          Http.Reply again = second.post(sellerKey, pingIds[i], TestExchange.FULL_LEAD);
          assertEquals(200, again.status(), again.body());
          assertEquals("sold", again.text("status"));
          assertEquals(leadIds[i], again.text("lead_id"));
          JsonNode trace = second.trace(pingIds[i]);
          assertEquals("sold", trace.get("post").get("status").asText());
        }
        assertEquals(delivered, buyers.buyer("b").postRequests.size(), "a restart must not deliver again");
      } finally {
        second.close();
      }
    }
  }
}
