package org.leadex.exchange.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.leadex.exchange.json.Json;
import org.leadex.exchange.support.Eventually;
import org.leadex.exchange.support.Http;
import org.leadex.exchange.support.TestBuyers;
import org.leadex.exchange.support.TestDatabase;
import org.leadex.exchange.support.TestExchange;
import org.leadex.exchange.support.WebhookReceiver;

/**
 * Copies of sold leads to buyers' CRMs and notices to their channels: rendered by field mapping or
 * Mustache template, sent after the seller's answer through the outbox, retried, dead-lettered
 * after their last attempt and re-sendable, against a real HTTP receiver.
 */
class CrmDeliveryIT {
  static TestExchange exchange;
  static TestBuyers buyers;
  static WebhookReceiver receiver;
  static String sellerKey;

  @BeforeAll
  static void start() {
    exchange = TestExchange.start(TestDatabase.fresh("crm"));
    buyers = TestBuyers.start();
    receiver = WebhookReceiver.start();
    sellerKey = exchange.seller("pub", "{\"type\":\"revenue_share\",\"percent\":80}");
  }

  @AfterAll
  static void stop() {
    exchange.close();
    buyers.close();
    receiver.close();
  }

  private static String bidderWith(String id, String extra) {
    String base = buyers.bidderJson(id, 1_000);
    return base.substring(0, base.length() - 1) + "," + extra + "}";
  }

  private static Http.Reply pingAndPost(String campaign, String fullLead) {
    Http.Reply ping = exchange.ping(sellerKey, TestExchange.pingBody(campaign));
    assertEquals("bid", ping.text("status"), ping.body());
    Http.Reply post = exchange.post(sellerKey, ping.text("ping_id"), fullLead);
    assertEquals(200, post.status(), post.body());
    return post;
  }

  private static JsonNode deliveries(String status) {
    Http.Reply reply = exchange.admin("GET", "/v1/admin/deliveries?status=" + status, null);
    assertEquals(200, reply.status(), reply.body());
    return reply.json().get("deliveries");
  }

  private static JsonNode delivery(String status, String leadId, String kind) {
    for (JsonNode d : deliveries(status)) {
      if (d.get("lead_id").asText().equals(leadId) && d.get("kind").asText().equals(kind)) {
        return d;
      }
    }
    return null;
  }

  @Test
  void aSaleReachesTheBuyersCrmByFieldMappingAndItsChannelByTemplate() {
    exchange.buyer("acme", bidderWith("acme", "\"crm\":{\"url\":\"" + receiver.url("acme-crm") + "\",\"format\":\"form\","
        + "\"mapping\":{\"EmailAddress\":\"lead.email\",\"FirstName\":\"lead.first_name\",\"Amount\":\"price\","
        + "\"LeadId\":\"lead_id\",\"Missing\":\"lead.not_there\"}},"
        + "\"notify\":{\"url\":\"" + receiver.url("acme-chat") + "\"}"));
    buyers.buyer("acme").bids("10.00");
    exchange.campaign("acme-camp", TestExchange.campaignJson("[{\"mode\":\"auction\",\"buyers\":[\"acme\"]}]", ""));

    Http.Reply post = pingAndPost("acme-camp", TestExchange.FULL_LEAD);
    assertEquals("sold", post.text("status"));
    String leadId = post.text("lead_id");
    assertEquals(1, buyers.buyer("acme").postRequests.size(), "the buyer's own post came first");

    Eventually.holds("the CRM copy arrives", () -> receiver.at("acme-crm").received.size() == 1);
    WebhookReceiver.Received crm = receiver.at("acme-crm").received.get(0);
    assertEquals("application/x-www-form-urlencoded", crm.contentType());
    assertEquals("Amount=10.00&EmailAddress=ana%40example.com&FirstName=Ana&LeadId=" + leadId, crm.body());

    Eventually.holds("the notice arrives", () -> receiver.at("acme-chat").received.size() == 1);
    WebhookReceiver.Received chat = receiver.at("acme-chat").received.get(0);
    assertEquals("application/json", chat.contentType());
    String text = Json.parse(chat.body()).get("text").asText();
    assertTrue(text.contains(leadId) && text.contains("acme-camp") && text.contains("10.00"), text);
    assertFalse(chat.body().contains("ana@example.com"), "the default notice carries no PII: " + chat.body());

    Eventually.holds("both are marked delivered", () -> delivery("delivered", leadId, "crm") != null
        && delivery("delivered", leadId, "notify") != null);
    assertEquals(1, delivery("delivered", leadId, "crm").get("attempts").asInt());
  }

  @Test
  void aCrmOnlyBuyerTakesTheLeadOnOfferAndGetsItsTemplateEscapedAsJson() {
    exchange.buyer("rep-desk", "{\"name\":\"In-house desk\",\"fixed_price\":5.00,\"crm\":{\"url\":\""
        + receiver.url("desk-crm") + "\",\"template\":\"{\\\"name\\\":\\\"{{lead.first_name}} {{lead.last_name}}\\\","
        + "\\\"price\\\":{{price}},\\\"campaign\\\":\\\"{{campaign}}\\\",\\\"source\\\":\\\"{{source}}\\\"}\"}}");
    exchange.campaign("desk-camp", TestExchange.campaignJson("[{\"mode\":\"waterfall\",\"buyers\":[\"rep-desk\"]}]", ""));
    String lead = TestExchange.FULL_LEAD.replace("\"Lopez\"", "\"O\\\"Neil \\\\ Sons\"");

    Http.Reply post = pingAndPost("desk-camp", lead);
    assertEquals("sold", post.text("status"), post.body());
    assertEquals("4.00", post.json().get("price").decimalValue().toPlainString()); // 80 % of 5.00

    Eventually.holds("the CRM copy arrives", () -> receiver.at("desk-crm").received.size() == 1);
    JsonNode body = Json.parse(receiver.at("desk-crm").received.get(0).body());
    assertEquals("Ana O\"Neil \\ Sons", body.get("name").asText());
    assertEquals("5.00", body.get("price").decimalValue().toPlainString());
    assertEquals("desk-camp", body.get("campaign").asText());
    assertEquals("google-cpc", body.get("source").asText());
  }

  @Test
  void aFailingCrmIsRetriedThenDeadLetteredAndCanBeResentFromTheList() {
    receiver.at("flaky-crm").status = 500;
    exchange.buyer("flaky", bidderWith("flaky", "\"crm\":{\"url\":\"" + receiver.url("flaky-crm") + "\","
        + "\"mapping\":{\"email\":\"lead.email\"},\"max_attempts\":3}"));
    buyers.buyer("flaky").bids("8.00");
    exchange.campaign("flaky-camp", TestExchange.campaignJson("[{\"mode\":\"auction\",\"buyers\":[\"flaky\"]}]", ""));

    String leadId = pingAndPost("flaky-camp", TestExchange.FULL_LEAD).text("lead_id");
    Eventually.holds("the delivery is dead-lettered", () -> delivery("dead", leadId, "crm") != null);
    JsonNode dead = delivery("dead", leadId, "crm");
    assertEquals(3, dead.get("attempts").asInt());
    assertEquals("status 500", dead.get("last_error").asText());
    assertEquals("flaky", dead.get("buyer").asText());
    assertEquals(3, receiver.at("flaky-crm").received.size(), "three attempts, then no more");
    assertEquals("{\"email\":\"ana@example.com\"}", receiver.at("flaky-crm").received.get(0).body());

    receiver.at("flaky-crm").status = 204;
    Http.Reply resend = exchange.admin("POST", "/v1/admin/deliveries/" + dead.get("id").asText() + "/resend", null);
    assertEquals(200, resend.status(), resend.body());
    Eventually.holds("the resent delivery arrives", () -> delivery("delivered", leadId, "crm") != null);
    assertEquals(4, receiver.at("flaky-crm").received.size());
    assertEquals(null, delivery("dead", leadId, "crm"));

    assertEquals(404, exchange.admin("POST", "/v1/admin/deliveries/987654321/resend", null).status());
    assertEquals(400, exchange.admin("GET", "/v1/admin/deliveries?status=lost", null).status());
  }

  /**
   * A CRM that answers 200 to everything says in its body whether it took the lead: the webhook's
   * response rules (the adapters' rule evaluator) read it, and a refusal is retried like a failure.
   */
  @Test
  void anXmlCrmIsReadByItsResponseRules() {
    WebhookReceiver.Endpoint crm = receiver.at("xml-crm");
    crm.answer = "<result><status>duplicate</status><why>already have it</why></result>";
    exchange.buyer("xmlcrm", bidderWith("xmlcrm", "\"crm\":{\"url\":\"" + receiver.url("xml-crm") + "\","
        + "\"format\":\"xml\",\"template\":\"<lead><email>{{lead.email}}</email><name>{{lead.last_name}}</name></lead>\","
        + "\"max_attempts\":2,\"response\":{\"accepted\":{\"xpath\":\"/result/status\",\"equals\":\"ok\"},"
        + "\"reason\":{\"xpath\":\"/result/why\"}}}"));
    buyers.buyer("xmlcrm").bids("8.00");
    exchange.campaign("xml-camp", TestExchange.campaignJson("[{\"mode\":\"auction\",\"buyers\":[\"xmlcrm\"]}]", ""));

    String leadId = pingAndPost("xml-camp", TestExchange.FULL_LEAD.replace("Lopez", "Lopez & <Sons>")).text("lead_id");
    Eventually.holds("the refused delivery is dead-lettered", () -> delivery("dead", leadId, "crm") != null);
    assertEquals("already have it", delivery("dead", leadId, "crm").get("last_error").asText());
    assertEquals("<lead><email>ana@example.com</email><name>Lopez &amp; &lt;Sons&gt;</name></lead>",
        crm.received.get(0).body());
    assertTrue(crm.received.get(0).contentType().startsWith("application/xml"), crm.received.get(0).contentType());

    crm.answer = "<result><status>ok</status></result>";
    JsonNode dead = delivery("dead", leadId, "crm");
    assertEquals(200, exchange.admin("POST", "/v1/admin/deliveries/" + dead.get("id").asText() + "/resend", null)
        .status());
    Eventually.holds("the resent delivery is accepted", () -> delivery("delivered", leadId, "crm") != null);
  }

  @Test
  void theSellersAnswerDoesNotWaitForTheCrm() {
    receiver.at("slow-crm").hold = true;
    exchange.buyer("slowcrm", bidderWith("slowcrm", "\"crm\":{\"url\":\"" + receiver.url("slow-crm") + "\","
        + "\"mapping\":{\"id\":\"lead_id\"}}"));
    buyers.buyer("slowcrm").bids("6.00");
    exchange.campaign("slow-camp", TestExchange.campaignJson("[{\"mode\":\"auction\",\"buyers\":[\"slowcrm\"]}]", ""));

    Http.Reply post = pingAndPost("slow-camp", TestExchange.FULL_LEAD);
    assertEquals("sold", post.text("status"));
    // The seller has its answer while the CRM has not answered (it holds every request until released).
    Eventually.holds("the CRM is being sent the copy", () -> receiver.at("slow-crm").received.size() == 1);
    receiver.release("slow-crm");
    Eventually.holds("then it is delivered", () -> delivery("delivered", post.text("lead_id"), "crm") != null);
  }

  @Test
  void anUnsoldLeadMakesNoDeliveries() throws Exception {
    exchange.buyer("picky", bidderWith("picky", "\"crm\":{\"url\":\"" + receiver.url("picky-crm") + "\","
        + "\"mapping\":{\"id\":\"lead_id\"}},\"notify\":{\"url\":\"" + receiver.url("picky-chat") + "\"}"));
    buyers.buyer("picky").bids("6.00").rejects();
    exchange.campaign("picky-camp", TestExchange.campaignJson("[{\"mode\":\"auction\",\"buyers\":[\"picky\"]}]", ""));

    Http.Reply post = pingAndPost("picky-camp", TestExchange.FULL_LEAD);
    assertEquals("unsold", post.text("status"));
    try (Connection conn = exchange.jdbc();
         PreparedStatement q = conn.prepareStatement("select count(*) from deliveries where lead_id = ?")) {
      q.setObject(1, UUID.fromString(post.text("lead_id")));
      ResultSet rows = q.executeQuery();
      rows.next();
      assertEquals(0, rows.getInt(1));
    }
  }

  @Test
  void crmAndNotifySettingsAreCheckedStrictly() {
    String url = receiver.url("x");
    assertRefused("{\"name\":\"a\",\"fixed_price\":1.00}", "post_url");
    assertRefused("{\"name\":\"a\",\"fixed_price\":1.00,\"crm\":{\"url\":\"" + url + "\",\"mapping\":{\"a\":\"lead_id\"},"
        + "\"retries\":3}}", "crm.retries");
    assertRefused("{\"name\":\"a\",\"fixed_price\":1.00,\"crm\":{\"url\":\"" + url + "\",\"template\":\"{{#lead}}\"}}",
        "crm.template");
    assertRefused("{\"name\":\"a\",\"fixed_price\":1.00,\"crm\":{\"url\":\"" + url + "\",\"mapping\":{\"a\":\"password\"}}}",
        "crm.mapping.a");
    assertRefused("{\"name\":\"a\",\"fixed_price\":1.00,\"crm\":{\"url\":\"" + url + "\"}}", "crm.template");
    assertRefused("{\"name\":\"a\",\"fixed_price\":1.00,\"crm\":{\"url\":\"ftp://x\",\"mapping\":{\"a\":\"lead_id\"}}}",
        "crm.url");
    assertRefused("{\"name\":\"a\",\"fixed_price\":1.00,\"post_url\":\"" + url + "\",\"notify\":{\"url\":\"" + url
        + "\",\"channel\":\"#leads\"}}", "notify.channel");
  }

  private static void assertRefused(String buyerJson, String field) {
    Http.Reply reply = exchange.admin("PUT", "/v1/admin/buyers/refused", buyerJson);
    assertEquals(400, reply.status(), reply.body());
    assertEquals("validation_failed", reply.text("error"));
    assertEquals(field, reply.text("field"), reply.body());
  }
}
