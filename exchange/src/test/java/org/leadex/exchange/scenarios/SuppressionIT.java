package org.leadex.exchange.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.leadex.exchange.support.Eventually;
import org.leadex.exchange.support.Http;
import org.leadex.exchange.support.TestBuyers;
import org.leadex.exchange.support.TestDatabase;
import org.leadex.exchange.support.TestExchange;

/**
 * Contact hashes, buyer suppression lists, buyer dedupe and PII retention: a person a buyer asked
 * not to be sent, or already bought, is not offered to it, whichever campaign, whichever way the
 * seller sends the lead; and a lead's PII goes after its retention while its trace and reports stay.
 */
class SuppressionIT {
  static TestExchange exchange;
  static TestBuyers buyers;
  static String sellerKey;

  @BeforeAll
  static void start() {
    exchange = TestExchange.start(TestDatabase.fresh("suppression"));
    buyers = TestBuyers.start();
    sellerKey = exchange.seller("pub", "{\"type\":\"revenue_share\",\"percent\":80}");
  }

  @AfterAll
  static void stop() {
    exchange.close();
    buyers.close();
  }

  @Test
  void aBuyerWithAMillionHashSuppressionListIsNotOfferedASuppressedLead() throws Exception {
    String key = buyerWithKey("sup", "9.00", "");
    exchange.buyer("sup-backup", buyers.fixedPriceJson("sup-backup", "5.00"));
    exchange.campaign("sup", TestExchange.campaignJson("[{\"mode\":\"auction\",\"buyers\":[\"sup\",\"sup-backup\"]}]", ""));
    String suppressedEmail = "blocked.person@example.com";
    String suppressedPhone = "+13105550111";

    HttpResponse<String> uploaded = upload(key, 1_000_000, List.of(sha256(suppressedEmail), sha256(suppressedPhone)));
    assertEquals(200, uploaded.statusCode(), uploaded.body());
    JsonNode answer = org.leadex.exchange.json.Json.parse(uploaded.body());
    assertEquals(1_000_002, answer.get("hashes").asInt(), uploaded.body());

    // at ping time, by the hashes: the suppressing buyer is skipped, the other takes the lead
    Http.Reply ping = exchange.ping(sellerKey, pingWithHashes("sup", null, sha256(suppressedEmail)));
    assertEquals("bid", ping.text("status"), ping.body());
    assertEquals(4.0, ping.json().get("price").asDouble(), ping.body()); // 80% of the backup's 5.00
    assertEquals("suppressed", buyerIn(exchange.trace(ping.text("ping_id")), "sup").get("skipped").asText());
    Http.Reply post = exchange.post(sellerKey, ping.text("ping_id"), lead(null, suppressedEmail));
    assertEquals("sold", post.text("status"), post.body());
    assertEquals(4.0, post.json().get("price").asDouble());

    // a lead not on the list goes to the suppressing buyer as usual
    Http.Reply free = exchange.ping(sellerKey, pingWithHashes("sup", null, sha256("free.person@example.com")));
    assertEquals(7.2, free.json().get("price").asDouble(), free.body());
    assertTrue(buyerIn(exchange.trace(free.text("ping_id")), "sup").get("skipped").isNull());
    assertEquals("sold", exchange.post(sellerKey, free.text("ping_id"), lead(null, "free.person@example.com"))
        .text("status"));

    // without hashes, at the post: the offer to the suppressing buyer is skipped and traced suppressed
    Http.Reply blind = exchange.ping(sellerKey, TestExchange.pingBody("sup"));
    assertEquals(7.2, blind.json().get("price").asDouble(), blind.body());
    Http.Reply blindPost = exchange.post(sellerKey, blind.text("ping_id"), lead("(310) 555-0111", "x@example.com"));
    assertEquals("sold", blindPost.text("status"), blindPost.body());
    assertEquals(4.0, blindPost.json().get("price").asDouble());
    JsonNode attempts = exchange.trace(blind.text("ping_id")).get("post").get("attempts");
    assertEquals("sup", attempts.get(0).get("buyer").asText());
    assertEquals("suppressed", attempts.get(0).get("reason").asText());
    assertEquals("sup-backup", attempts.get(1).get("buyer").asText());
    assertTrue(attempts.get(1).get("accepted").asBoolean());
  }

  @Test
  void aBadUploadIsRefusedAndChangesNothing() throws Exception {
    String key = buyerWithKey("val", "9.00", "");
    exchange.campaign("val", TestExchange.campaignJson("[{\"mode\":\"auction\",\"buyers\":[\"val\"]}]", ""));
    String listed = sha256("listed@example.com");
    assertEquals(200, upload(key, 0, List.of(listed)).statusCode());

    HttpResponse<String> bad = send(key, "text/plain", (listed + "\n" + "not-a-hash\n" + sha256("new@example.com") + "\n"));
    assertEquals(400, bad.statusCode(), bad.body());
    JsonNode error = org.leadex.exchange.json.Json.parse(bad.body());
    assertEquals("validation_failed", error.get("error").asText());
    assertTrue(error.get("message").asText().contains("line 2"), bad.body());
    HttpResponse<String> upperCaseDigits = send(key, "text/plain", listed.substring(0, 63) + "g\n");
    assertEquals(400, upperCaseDigits.statusCode(), upperCaseDigits.body());
    assertEquals(400, send(key, "application/json", "[\"" + listed + "\"]").statusCode());
    assertEquals(403, send(sellerKey, "text/plain", listed + "\n").statusCode());

    // the list in force is still the first one
    Http.Reply stillListed = exchange.ping(sellerKey, pingWithHashes("val", null, listed));
    assertEquals("no_bid", stillListed.text("status"), stillListed.body());
    assertEquals("suppressed", buyerIn(exchange.trace(stillListed.text("ping_id")), "val").get("skipped").asText());
    Http.Reply notListed = exchange.ping(sellerKey, pingWithHashes("val", null, sha256("new@example.com")));
    assertEquals("bid", notListed.text("status"), notListed.body());

    // an empty upload clears the list
    assertEquals(200, send(key, "text/plain", "").statusCode());
    Http.Reply cleared = exchange.ping(sellerKey, pingWithHashes("val", null, listed));
    assertEquals("bid", cleared.text("status"), cleared.body());
  }

  @Test
  void anUploadOnOneInstanceHoldsOnEveryOther() throws Exception {
    String key = buyerWithKey("multi", "9.00", "");
    exchange.campaign("multi", TestExchange.campaignJson("[{\"mode\":\"auction\",\"buyers\":[\"multi\"]}]", ""));
    try (TestExchange other = TestExchange.start(exchange.databaseUrl())) {
      String listed = sha256("elsewhere@example.com");
      Eventually.holds("the other instance knows the campaign", () ->
          "bid".equals(other.ping(sellerKey, pingWithHashes("multi", null, listed)).text("status")));
      assertEquals(200, upload(key, 1_000, List.of(listed)).statusCode());
      Eventually.holds("the other instance loaded the new list", () ->
          "no_bid".equals(other.ping(sellerKey, pingWithHashes("multi", null, listed)).text("status")));
      Http.Reply ping = other.ping(sellerKey, pingWithHashes("multi", null, listed));
      assertEquals("suppressed", buyerIn(other.trace(ping.text("ping_id")), "multi").get("skipped").asText());
    }
  }

  @Test
  void aBuyerIsNotOfferedAPersonItBoughtInAnyCampaignWithinItsDedupeDays() {
    String ddKey = buyerWithKey("dd", "7.00", ",\"dedupe_days\":90");
    exchange.buyer("dd-backup", buyers.fixedPriceJson("dd-backup", "3.00"));
    for (String campaign : new String[] {"dd-one", "dd-two"}) {
      exchange.campaign(campaign, TestExchange.campaignJson(
          "[{\"mode\":\"auction\",\"buyers\":[\"dd\",\"dd-backup\"]}]", ""));
    }
    Http.Reply first = direct("dd-one", "+1 415 555 0142", "first@example.com");
    assertEquals(5.6, first.json().get("price").asDouble(), first.body()); // sold to dd at 7.00

    // the same phone in the other campaign, written another way: dd is skipped at once (direct post)
    Http.Reply second = direct("dd-two", "(415) 555-0142", "second@example.com");
    assertEquals("sold", second.text("status"), second.body());
    assertEquals(2.4, second.json().get("price").asDouble(), second.body()); // the backup's 3.00
    JsonNode trace = exchange.trace(pingIdOf(second));
    assertEquals("suppressed", buyerIn(trace, "dd").get("skipped").asText());

    // a ping with the phone's hash: skipped at ping time
    Http.Reply hashed = exchange.ping(sellerKey, pingWithHashes("dd-two", sha256("+14155550142"), null));
    assertEquals(2.4, hashed.json().get("price").asDouble(), hashed.body());
    // a ping without hashes: skipped at the post (trace: suppressed), the backup buys
    Http.Reply blind = exchange.ping(sellerKey, TestExchange.pingBody("dd-two"));
    assertEquals(5.6, blind.json().get("price").asDouble());
    Http.Reply post = exchange.post(sellerKey, blind.text("ping_id"), lead("415-555-0142", "third@example.com"));
    assertEquals(2.4, post.json().get("price").asDouble(), post.body());
    assertEquals("suppressed", exchange.trace(blind.text("ping_id")).get("post").get("attempts").get(0).get("reason").asText());

    // test traffic never counts: dd is offered a test lead of the person, and its test purchase counts for nothing
    Http.Reply test = exchange.call("POST", "/v1/leads", sellerKey, "{\"campaign\":\"dd-two\",\"source\":\"s\","
        + "\"test\":true,\"lead\":" + lead("+14155550142", "t@example.com") + "}");
    assertEquals(5.6, test.json().get("price").asDouble(), test.body());
    // another person still goes to dd
    assertEquals(5.6, direct("dd-two", "+1 415 555 0199", "other@example.com").json().get("price").asDouble());

    // the buyer lifts its own window (self-service): the person is offered to it again
    Http.Reply lifted = exchange.call("PATCH", "/v1/buyers/me", ddKey, "{\"dedupe_days\":0}");
    assertEquals(200, lifted.status(), lifted.body());
    assertEquals(5.6, direct("dd-two", "415 555 0142", "fourth@example.com").json().get("price").asDouble());
  }

  @Test
  void aPingWhoseHashesTheCampaignAlreadySoldIsADuplicateAtOnce() {
    exchange.buyer("dup", buyers.fixedPriceJson("dup", "6.00"));
    exchange.campaign("dup", TestExchange.campaignJson("[{\"mode\":\"auction\",\"buyers\":[\"dup\"]}]",
        "\"dedupe_days\":30"));
    assertEquals("sold", direct("dup", "+1 212 555 0123", "Dupe.Person@Example.com ").text("status"));
    int asked = buyers.buyer("dup").postRequests.size();

    Http.Reply byEmail = exchange.ping(sellerKey, pingWithHashes("dup", null, sha256("dupe.person@example.com")));
    assertEquals(200, byEmail.status(), byEmail.body());
    assertEquals("no_bid", byEmail.text("status"), byEmail.body());
    assertEquals("duplicate_lead", byEmail.text("reason"), byEmail.body());
    Http.Reply byPhone = exchange.ping(sellerKey, pingWithHashes("dup", sha256("+12125550123"), null));
    assertEquals("duplicate_lead", byPhone.text("reason"), byPhone.body());
    Http.Reply someoneElse = exchange.ping(sellerKey, pingWithHashes("dup", sha256("+12125550124"), null));
    assertEquals("bid", someoneElse.text("status"), someoneElse.body());
    assertNull(someoneElse.json().get("reason"));
    // a duplicate's post delivers nothing
    Http.Reply post = exchange.post(sellerKey, byEmail.text("ping_id"), lead("+12125550123", "dupe.person@example.com"));
    assertEquals("unsold", post.text("status"), post.body());
    assertEquals(asked, buyers.buyer("dup").postRequests.size());
  }

  @Test
  void aPostWhosePiiDoesNotMatchItsPingsHashesIsALeadMismatch() {
    exchange.buyer("mm", buyers.fixedPriceJson("mm", "6.00"));
    exchange.campaign("mm", TestExchange.campaignJson("[{\"mode\":\"auction\",\"buyers\":[\"mm\"]}]", ""));
    String phoneHash = sha256("+13105550100");
    String emailHash = sha256("ana@example.com");

    Http.Reply ping = exchange.ping(sellerKey, pingWithHashes("mm", phoneHash, emailHash));
    Http.Reply wrongPhone = exchange.post(sellerKey, ping.text("ping_id"), lead("(310) 555-0199", "ana@example.com"));
    assertEquals(422, wrongPhone.status(), wrongPhone.body());
    assertEquals("lead_mismatch", wrongPhone.text("error"));
    assertEquals("lead.phone", wrongPhone.text("field"));
    Http.Reply noEmail = exchange.post(sellerKey, ping.text("ping_id"), lead("(310) 555-0100", null));
    assertEquals(422, noEmail.status(), noEmail.body());
    assertEquals("lead.email", noEmail.text("field"));
    // the same person written the seller's way: normalised, it matches
    Http.Reply right = exchange.post(sellerKey, ping.text("ping_id"), lead("(310) 555-0100", "  ANA@example.com"));
    assertEquals("sold", right.text("status"), right.body());

    // malformed hashes are refused at the ping, and change nothing
    for (String bad : new String[] {"\"" + phoneHash.toUpperCase() + "\"", "\"abc\"", "12", "\"" + phoneHash + "0\""}) {
      Http.Reply refused = exchange.ping(sellerKey, "{\"campaign\":\"mm\",\"source\":\"s\",\"hashes\":{\"phone\":" + bad
          + "},\"lead\":" + TestExchange.LEAD + "}");
      assertEquals(400, refused.status(), refused.body());
      assertEquals("validation_failed", refused.text("error"));
      assertEquals("hashes.phone", refused.text("field"));
    }
    Http.Reply unknown = exchange.ping(sellerKey, "{\"campaign\":\"mm\",\"source\":\"s\",\"hashes\":{\"ssn\":\""
        + phoneHash + "\"},\"lead\":" + TestExchange.LEAD + "}");
    assertEquals(400, unknown.status(), unknown.body());
    // a direct post's hashes must match its own PII
    Http.Reply direct = exchange.call("POST", "/v1/leads", sellerKey, "{\"campaign\":\"mm\",\"source\":\"s\","
        + "\"hashes\":{\"email\":\"" + sha256("other@example.com") + "\"},\"lead\":" + lead("+13105550100", "ana@example.com") + "}");
    assertEquals(422, direct.status(), direct.body());
  }

  @Test
  void twoIdenticalDirectPostsAtTheSameInstantSellOnce() throws Exception {
    exchange.buyer("race", buyers.fixedPriceJson("race", "6.00"));
    exchange.campaign("race", TestExchange.campaignJson("[{\"mode\":\"auction\",\"buyers\":[\"race\"]}]",
        "\"dedupe_days\":30"));
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 25; round++) {
        String phone = String.format("+1 646 555 %04d", round);
        CyclicBarrier together = new CyclicBarrier(2);
        List<Future<Http.Reply>> replies = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
          replies.add(pool.submit(() -> {
            together.await(5, TimeUnit.SECONDS);
            return direct("race", phone, "race" + phone.hashCode() + "@example.com");
          }));
        }
        int sold = 0;
        int duplicates = 0;
        for (Future<Http.Reply> reply : replies) {
          Http.Reply r = reply.get(30, TimeUnit.SECONDS);
          sold += "sold".equals(r.text("status")) ? 1 : 0;
          duplicates += "duplicate_lead".equals(r.text("reason")) ? 1 : 0;
        }
        assertEquals(1, sold, "round " + round);
        assertEquals(1, duplicates, "round " + round);
      }
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void theRetentionJobErasesOldPiiAndKeepsHashesTracesAndReports() throws Exception {
    exchange.buyer("ret", buyers.fixedPriceJson("ret", "6.00"));
    exchange.campaign("ret", TestExchange.campaignJson("[{\"mode\":\"auction\",\"buyers\":[\"ret\"]}]",
        "\"pii_retention_days\":10"));
    Http.Reply old = direct("ret", "+1 702 555 0100", "old@example.com");
    Http.Reply recent = direct("ret", "+1 702 555 0101", "recent@example.com");
    assertEquals("sold", old.text("status"), old.body());
    String today = LocalDate.now(ZoneOffset.UTC).toString();
    JsonNode reportBefore = revenueRow(today);
    try (Connection db = exchange.jdbc(); Statement sql = db.createStatement()) {
      // the clock moves on for the old lead: it was posted 11 days ago
      sql.executeUpdate("update leads set created_at = created_at - interval '11 days' where id = '"
          + old.text("lead_id") + "'");
    }
    int erased = exchange.instance().piiRetention().sweep().toCompletionStage().toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
    assertEquals(1, erased);
    try (Connection db = exchange.jdbc(); Statement sql = db.createStatement()) {
      ResultSet oldRow = sql.executeQuery("select pii, pii_erased_at, phone_hash, email_hash from leads where id = '"
          + old.text("lead_id") + "'");
      assertTrue(oldRow.next());
      assertNull(oldRow.getString(1));
      assertNotNull(oldRow.getTimestamp(2));
      assertEquals(sha256("+17025550100"), HexFormat.of().formatHex(oldRow.getBytes(3)));
      assertEquals(sha256("old@example.com"), HexFormat.of().formatHex(oldRow.getBytes(4)));
      ResultSet recentRow = sql.executeQuery("select pii::text from leads where id = '" + recent.text("lead_id") + "'");
      assertTrue(recentRow.next());
      assertTrue(recentRow.getString(1).contains("recent@example.com"));
    }
    JsonNode trace = exchange.trace(pingIdOf(old));
    assertEquals("ret", trace.get("winner").asText());
    assertEquals("sold", trace.get("post").get("status").asText());
    assertEquals(reportBefore, revenueRow(today));
    assertFalse(reportBefore.isMissingNode());
    assertEquals(0, (int) exchange.instance().piiRetention().sweep().toCompletionStage().toCompletableFuture()
        .get(30, TimeUnit.SECONDS)); // erased once
  }

  // --- helpers ---

  private static JsonNode revenueRow(String day) {
    Http.Reply report = exchange.admin("GET", "/v1/reports/revenue?from=" + day + "&to=" + day
        + "&group_by=campaign&format=json", null);
    assertEquals(200, report.status(), report.body());
    for (JsonNode row : report.json().get("rows")) {
      if ("ret".equals(row.get("campaign").asText())) {
        return row;
      }
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }

  private static String pingIdOf(Http.Reply directPost) {
    try (Connection db = exchange.jdbc(); Statement sql = db.createStatement();
         ResultSet row = sql.executeQuery("select ping_id from leads where id = '" + directPost.text("lead_id") + "'")) {
      assertTrue(row.next(), directPost.body());
      return row.getString(1);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String buyerWithKey(String id, String price, String extra) {
    String json = buyers.fixedPriceJson(id, price);
    json = json.substring(0, json.length() - 1) + extra + "}";
    Http.Reply reply = exchange.admin("PUT", "/v1/admin/buyers/" + id, json);
    assertEquals(200, reply.status(), reply.body());
    return reply.text("api_key");
  }

  private static JsonNode buyerIn(JsonNode trace, String buyer) {
    for (JsonNode b : trace.get("buyers")) {
      if (b.get("buyer").asText().equals(buyer)) {
        return b;
      }
    }
    throw new AssertionError("no buyer " + buyer + " in " + trace);
  }

  private static String pingWithHashes(String campaign, String phoneHash, String emailHash) {
    StringBuilder hashes = new StringBuilder("{");
    if (phoneHash != null) {
      hashes.append("\"phone\":\"").append(phoneHash).append('"');
    }
    if (emailHash != null) {
      hashes.append(phoneHash != null ? "," : "").append("\"email\":\"").append(emailHash).append('"');
    }
    return "{\"campaign\":\"" + campaign + "\",\"source\":\"s\",\"hashes\":" + hashes + "},\"lead\":"
        + TestExchange.LEAD + "}";
  }

  private static String lead(String phone, String email) {
    return "{\"zip\":\"90210\",\"state\":\"CA\",\"age\":42,\"first_name\":\"Ana\""
        + (phone == null ? "" : ",\"phone\":\"" + phone + "\"") + (email == null ? "" : ",\"email\":\"" + email + "\"")
        + "}";
  }

  private static Http.Reply direct(String campaign, String phone, String email) {
    return exchange.call("POST", "/v1/leads", sellerKey, "{\"campaign\":\"" + campaign + "\",\"source\":\"s\",\"lead\":"
        + lead(phone, email) + "}");
  }

  static String sha256(String normalised) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(normalised.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static HttpResponse<String> send(String key, String contentType, String body) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(exchange.url() + "/v1/buyers/me/suppression"))
        .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + key).header("Content-Type", contentType)
        .PUT(HttpRequest.BodyPublishers.ofString(body)).build();
    return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** Uploads {@code generated} random-looking hashes with {@code listed} among them, streamed. */
  private static HttpResponse<String> upload(String key, int generated, List<String> listed) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(exchange.url() + "/v1/buyers/me/suppression"))
        .timeout(Duration.ofSeconds(120)).header("Authorization", "Bearer " + key)
        .header("Content-Type", "text/plain")
        .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new HashLines(generated, listed))).build();
    return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** Lines of SHA-256 hex, made as they are read: the listed ones in the middle of the generated ones. */
  static final class HashLines extends InputStream {
    private final int generated;
    private final List<String> listed;
    private final MessageDigest digest;
    private int next;
    private byte[] line = new byte[0];
    private int at;

    HashLines(int generated, List<String> listed) {
      this.generated = generated;
      this.listed = listed;
      try {
        this.digest = MessageDigest.getInstance("SHA-256");
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] into, int offset, int length) {
      int written = 0;
      while (written < length) {
        if (at == line.length && !nextLine()) {
          return written == 0 ? -1 : written;
        }
        int n = Math.min(length - written, line.length - at);
        System.arraycopy(line, at, into, offset + written, n);
        at += n;
        written += n;
      }
      return written;
    }

    private boolean nextLine() {
      int total = generated + listed.size();
      if (next >= total) {
        return false;
      }
      int half = generated / 2;
      String hex;
      if (next >= half && next < half + listed.size()) {
        hex = listed.get(next - half);
      } else {
        hex = HexFormat.of().formatHex(digest.digest(("person-" + next + "@example.org").getBytes(StandardCharsets.UTF_8)));
      }
      line = (hex + "\n").getBytes(StandardCharsets.US_ASCII);
      at = 0;
      next++;
      return true;
    }
  }
}
