package org.leadex.exchange.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;
import org.junit.jupiter.api.Test;
import org.leadex.exchange.json.Json;
import org.leadex.exchange.logs.JsonLogFormatter;
import org.leadex.exchange.support.Http;
import org.leadex.exchange.support.TestBuyers;
import org.leadex.exchange.support.TestDatabase;
import org.leadex.exchange.support.TestExchange;

/**
 * The production log format: one JSON object per line, lines about a lead carry its ping and lead
 * ids, and no PII the seller posted reaches the log, not even through a buyer quoting it back.
 */
class JsonLogIT {

  @Test
  void aPostsLogLinesAreJsonWithItsIdsAndNoPii() throws Exception {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    StreamHandler handler = new StreamHandler(captured, new JsonLogFormatter());
    Logger root = Logger.getLogger("");
    root.addHandler(handler);
    String pingId;
    String leadId;
    try (TestExchange exchange = TestExchange.start(TestDatabase.fresh("jsonlog"));
         TestBuyers buyers = TestBuyers.start()) {
      String sellerKey = exchange.seller("pub", "{\"type\":\"revenue_share\",\"percent\":80}");
      exchange.buyer("quoter", buyers.bidderJson("quoter", 1_000));
      exchange.buyer("taker", buyers.bidderJson("taker", 1_000));
      buyers.buyer("quoter").bids("9.00").rejects();
      // A careless buyer echoes the lead's PII in its reason; the log must not repeat it.
      buyers.buyer("quoter").rejectReason = "duplicate of ana@example.com, +13105550100, (310) 555-0100";
      buyers.buyer("taker").bids("7.00");
      exchange.campaign("logs", TestExchange.campaignJson(
          "[{\"mode\":\"auction\",\"buyers\":[\"quoter\",\"taker\"]}]", ""));
      Http.Reply ping = exchange.ping(sellerKey, TestExchange.pingBody("logs"));
      pingId = ping.text("ping_id");
      Http.Reply post = exchange.post(sellerKey, pingId, TestExchange.FULL_LEAD);
      assertEquals("sold", post.text("status"), post.body());
      leadId = post.text("lead_id");
    } finally {
      handler.flush();
      root.removeHandler(handler);
    }

    String output = captured.toString(StandardCharsets.UTF_8);
    List<JsonNode> lines = new ArrayList<>();
    for (String line : output.split("\\R")) {
      if (!line.isBlank()) {
        JsonNode json = Json.parse(line); // fails the test when a line is not JSON
        assertTrue(json.has("ts") && json.has("level") && json.has("logger") && json.has("msg"), line);
        lines.add(json);
      }
    }
    JsonNode sale = lines.stream().filter(l -> pingId.equals(l.path("ping_id").asText())).findFirst()
        .orElseThrow(() -> new AssertionError("no line carries ping " + pingId + ":\n" + output));
    assertEquals(leadId, sale.get("lead_id").asText());
    assertTrue(sale.get("msg").asText().contains("sold to taker"), sale.toString());
    assertTrue(sale.get("msg").asText().contains("quoter: duplicate of [email], [phone], [phone]"), sale.toString());
    for (String pii : new String[] {"ana@example.com", "+13105550100", "3105550100", "555-0100", "Lopez", "1 Main St"}) {
      assertFalse(output.contains(pii), "the log holds PII " + pii + ":\n" + output);
    }
  }
}
