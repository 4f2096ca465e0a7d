package org.leadex.exchange.adapters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.leadex.exchange.api.ApiError;
import org.leadex.exchange.auction.BidOutcome;
import org.leadex.exchange.buyers.AdaptedAnswers;
import org.leadex.exchange.buyers.BidAnswer;
import org.leadex.exchange.buyers.PostAnswer;
import org.leadex.exchange.json.DocReader;
import org.leadex.exchange.json.Json;
import org.leadex.exchange.templates.TemplateFormat;

/** Adapters without the network: rules read what their kind may read, answers become bids and acceptances, templates escape. */
class ResponseRulesTest {

  private static ResponseRule rule(String json) {
    return ResponseRule.read(DocReader.of(Json.parse(json), "response.x"));
  }

  private static AdapterResponse answer(int status, String type, String body) {
    return new AdapterResponse(status, type, body.getBytes(StandardCharsets.UTF_8));
  }

  private static Adapter adapter(String kind, String json) {
    return Adapter.read(DocReader.of(Json.parse(json), kind), kind.equals("bid_adapter") ? Adapter.Kind.BID
        : Adapter.Kind.POST);
  }

  @Test
  void eachKindOfRuleReadsOnlyItsKindOfBody() {
    ResponseRule json = rule("{\"json_path\":\"$.offer.price\"}");
    ResponseRule xml = rule("{\"xpath\":\"/r/price\"}");
    ResponseRule regex = rule("{\"regex\":\"price=([0-9.]+)\"}");
    AdapterResponse jsonBody = answer(200, "application/json; charset=utf-8", "{\"offer\":{\"price\":12.50}}");
    AdapterResponse xmlBody = answer(200, "text/xml", "<r><price>7.25</price></r>");
    AdapterResponse textBody = answer(200, "text/plain", "ok price=3.10 id=9");
    assertEquals(Optional.of("12.50"), json.read(jsonBody));
    assertEquals(Optional.empty(), json.read(xmlBody));
    assertEquals(Optional.of("7.25"), xml.read(xmlBody));
    assertEquals(Optional.empty(), xml.read(jsonBody));
    assertEquals(Optional.of("3.10"), regex.read(textBody));
    // a regex reads any body as text; without a group it reads the whole match
    assertEquals(Optional.of("<price>"), rule("{\"regex\":\"<price>\"}").read(xmlBody));
    // an indefinite path reads its first match
    assertEquals(Optional.of("b"), rule("{\"json_path\":\"$.items[*].id\"}")
        .read(answer(200, "application/json", "{\"items\":[{\"id\":\"b\"},{\"id\":\"c\"}]}")));
  }

  @Test
  void withoutEqualsARuleHoldsForAnyValueButFalseAndZero() {
    ResponseRule plain = rule("{\"json_path\":\"$.ok\"}");
    for (String yes : List.of("true", "1", "\"yes\"", "\"accepted\"")) {
      assertTrue(plain.holds(plain.read(answer(200, "application/json", "{\"ok\":" + yes + "}"))), yes);
    }
    for (String no : List.of("false", "0", "0.00", "\"\"", "null", "\"FALSE\"")) {
      assertFalse(plain.holds(plain.read(answer(200, "application/json", "{\"ok\":" + no + "}"))), no);
    }
    assertFalse(plain.holds(plain.read(answer(200, "application/json", "{}"))));
    ResponseRule equals = rule("{\"json_path\":\"$.result\",\"equals\":\"success\"}");
    assertTrue(equals.holds(Optional.of("success")));
    assertFalse(equals.holds(Optional.of("Success")));
  }

  @Test
  void rulesThatDoNotCompileAreRefusedWithTheirField() {
    ApiError bad = assertThrows(ApiError.class, () -> rule("{\"json_path\":\"$[\"}"));
    assertTrue(bad.getMessage().contains("json_path"), bad.getMessage());
    assertThrows(ApiError.class, () -> rule("{\"xpath\":\"/a[\"}"));
    assertThrows(ApiError.class, () -> rule("{\"regex\":\"(\"}"));
    assertThrows(ApiError.class, () -> rule("{\"regex\":\"a\",\"xpath\":\"/a\"}"));
    assertThrows(ApiError.class, () -> rule("{}"));
  }

  @Test
  void anXmlAnswerCannotReachOutWithAnEntity() {
    ResponseRule xml = rule("{\"xpath\":\"/r\"}");
    AdapterResponse xxe = answer(200, "application/xml",
        "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><r>&x;</r>");
    assertEquals(Optional.empty(), xml.read(xxe));
    assertTrue(xxe.malformed());
  }

  @Test
  void bidAnswersReadThroughRules() {
    Adapter bid = adapter("bid_adapter", "{\"url\":\"http://127.0.0.1/b\",\"template\":\"{}\",\"response\":{"
        + "\"accepted\":{\"json_path\":\"$.status\",\"equals\":\"ok\"},\"price\":{\"json_path\":\"$.price\"},"
        + "\"reference\":{\"json_path\":\"$.id\"},\"reason\":{\"json_path\":\"$.why\"}}}");
    Secrets none = Secrets.NONE;
    BidAnswer yes = AdaptedAnswers.bid(bid.rules(), answer(200, "application/json", "{\"status\":\"ok\",\"price\":\"12.5\",\"id\":\"X\"}"), none);
    assertEquals(BidOutcome.BID, yes.outcome());
    assertEquals("12.50", yes.bid().toString());
    assertEquals("X", yes.bidId());
    assertEquals(BidOutcome.NO_BID, AdaptedAnswers.bid(bid.rules(), answer(200, "application/json",
        "{\"status\":\"declined\",\"why\":\"no coverage\"}"), none).outcome());
    assertEquals(BidOutcome.NO_BID, AdaptedAnswers.bid(bid.rules(), answer(200, "application/json",
        "{\"status\":\"ok\",\"price\":0}"), none).outcome());
    assertEquals(BidOutcome.NO_BID, AdaptedAnswers.bid(bid.rules(), answer(204, null, ""), none).outcome());
    assertEquals("status 503", AdaptedAnswers.bid(bid.rules(), answer(503, "application/json", "{}"), none).reason());
    assertTrue(AdaptedAnswers.bid(bid.rules(), answer(200, "application/json", "{\"status\":\"ok\",\"price\":1.234}"), none)
        .reason().startsWith("malformed"));
    BidAnswer garbage = AdaptedAnswers.bid(bid.rules(), answer(200, "application/json", "<html>" + "x".repeat(5_000)), none);
    assertEquals(BidOutcome.ERROR, garbage.outcome());
    assertTrue(garbage.reason().startsWith("unparsable: "), garbage.reason());
    assertTrue(garbage.reason().contains("<html>xxx"), garbage.reason());
    assertTrue(garbage.reason().length() < 2_048 + 200, "the first 2 KiB only: " + garbage.reason().length());
    assertTrue(AdaptedAnswers.bid(bid.rules(), answer(200, "text/html", "{\"status\":\"ok\",\"price\":3}"), none)
        .reason().startsWith("unparsable: the price rule reads nothing"), "a JSONPath reads nothing from HTML");
  }

  @Test
  void postAnswersReadThroughRules() {
    Adapter post = adapter("post_adapter", "{\"url\":\"http://127.0.0.1/p\",\"format\":\"form\",\"template\":\"a=1\","
        + "\"response\":{\"accepted\":{\"regex\":\"^(ACCEPTED)\"},\"reference\":{\"regex\":\"ref=(\\\\w+)\"},"
        + "\"reason\":{\"regex\":\"reason=(\\\\w+)\"}}}");
    PostAnswer yes = AdaptedAnswers.post(post.rules(), answer(200, "text/plain", "ACCEPTED ref=R77"), Secrets.NONE, 5);
    assertTrue(yes.accepted());
    assertEquals("R77", yes.reference());
    PostAnswer no = AdaptedAnswers.post(post.rules(), answer(200, "text/plain", "DENIED reason=dupe"), Secrets.NONE, 5);
    assertFalse(no.accepted());
    assertTrue(no.reason().startsWith("unparsable"), "the accepted rule reads nothing: " + no.reason());
  }

  @Test
  void secretsAreMaskedInWhatIsRecorded() {
    Secrets secrets = Secrets.read(DocReader.of(Json.parse("{\"api_key\":\"sk-live-123456\",\"pin\":\"12\"}"), "secrets"));
    assertEquals("key ******** pin 12", secrets.mask("key sk-live-123456 pin 12"));
    Adapter bid = adapter("bid_adapter", "{\"url\":\"http://127.0.0.1/b?k={{secret.api_key}}\",\"template\":\"{}\","
        + "\"response\":{\"price\":{\"json_path\":\"$.price\"}}}");
    BidAnswer echoed = AdaptedAnswers.bid(bid.rules(), answer(200, "text/html", "bad key sk-live-123456"), secrets);
    assertFalse(echoed.reason().contains("sk-live-123456"), echoed.reason());
    AdapterRequest rendered = bid.render(Map.of("secret", secrets.values()));
    assertEquals("http://127.0.0.1/b?k=sk-live-123456", rendered.url());
    assertEquals("http://127.0.0.1/b?k=********", rendered.shown(secrets).get("url").asText());
  }

  @Test
  void templatesEscapeForTheirFormatAndHeadersLoseLineBreaks() {
    Map<String, Object> lead = Map.of("lead", Map.of("name", "O'Brien <Jr> & \"Co\"\nX"));
    Adapter xml = adapter("post_adapter", "{\"url\":\"http://127.0.0.1/p\",\"format\":\"xml\",\"template\":"
        + "\"<lead><name>{{lead.name}}</name></lead>\",\"headers\":{\"X-Name\":\"{{lead.name}}\"},"
        + "\"response\":{\"accepted\":{\"xpath\":\"/r/ok\"}}}");
    AdapterRequest request = xml.render(lead);
    assertEquals("<lead><name>O&apos;Brien &lt;Jr&gt; &amp; &quot;Co&quot;\nX</name></lead>", request.body());
    assertEquals("O'Brien <Jr> & \"Co\"X", request.headers().get("X-Name"));
    assertEquals("application/xml; charset=utf-8", request.headers().get("Content-Type"));
    Adapter form = adapter("post_adapter", "{\"url\":\"http://127.0.0.1/p?n={{lead.name}}\",\"format\":\"form\","
        + "\"template\":\"name={{lead.name}}\",\"response\":{\"accepted\":{\"regex\":\"ok\"}}}");
    AdapterRequest formRequest = form.render(lead);
    assertEquals("name=O%27Brien+%3CJr%3E+%26+%22Co%22%0AX", formRequest.body());
    assertTrue(formRequest.url().endsWith("?n=O%27Brien+%3CJr%3E+%26+%22Co%22%0AX"), formRequest.url());
    assertEquals(TemplateFormat.FORM.contentType, formRequest.headers().get("Content-Type"));
  }

  @Test
  void adaptersAreCheckedWhenRead() {
    // a templated host could send a lead anywhere a field says
    assertThrows(ApiError.class, () -> adapter("bid_adapter", "{\"url\":\"http://{{lead.zip}}/b\",\"template\":\"{}\","
        + "\"response\":{\"price\":{\"json_path\":\"$.p\"}}}"));
    assertThrows(ApiError.class, () -> adapter("bid_adapter", "{\"url\":\"http://api.buyer.example{{lead.x}}/b\","
        + "\"template\":\"{}\",\"response\":{\"price\":{\"json_path\":\"$.p\"}}}"), "a tag that could extend the host");
    adapter("bid_adapter", "{\"url\":\"http://api.buyer.example?zip={{lead.zip}}\",\"template\":\"{}\","
        + "\"response\":{\"price\":{\"json_path\":\"$.p\"}}}"); // a query is fine
    // a raw {{{x}}} in a header skips the escaper, but still cannot start a header of its own
    Adapter raw = adapter("post_adapter", "{\"url\":\"http://127.0.0.1/p\",\"headers\":{\"X-Name\":\"{{{lead.n}}}\"},"
        + "\"template\":\"{}\",\"response\":{\"accepted\":{\"json_path\":\"$.ok\"}}}");
    assertEquals("aX-Evil: 1", raw.render(Map.of("lead", Map.of("n", "a\r\nX-Evil: 1"))).headers().get("X-Name"));
    assertThrows(ApiError.class, () -> adapter("bid_adapter", "{\"url\":\"http://127.0.0.1/b\",\"template\":\"{}\","
        + "\"response\":{\"accepted\":{\"json_path\":\"$.p\"}}}"), "a bid adapter needs a price rule");
    assertThrows(ApiError.class, () -> adapter("post_adapter", "{\"url\":\"http://127.0.0.1/b\",\"template\":\"{}\","
        + "\"response\":{\"price\":{\"json_path\":\"$.p\"}}}"), "a post adapter needs an accepted rule");
    assertThrows(ApiError.class, () -> adapter("post_adapter", "{\"url\":\"http://127.0.0.1/b\",\"template\":\"{{#x}}open\","
        + "\"response\":{\"accepted\":{\"json_path\":\"$.p\"}}}"), "a template that does not parse");
    ApiError unknownSecret = assertThrows(ApiError.class, () -> BuyerAdapters.read(DocReader.of(Json.parse(
        "{\"bid_adapter\":{\"url\":\"http://127.0.0.1/b\",\"template\":\"{\\\"k\\\":\\\"{{secret.nope}}\\\"}\","
            + "\"response\":{\"price\":{\"json_path\":\"$.p\"}}}}"), "")));
    assertTrue(unknownSecret.getMessage().contains("secret.nope"), unknownSecret.getMessage());
    assertNull(Secrets.redact(null));
  }
}
