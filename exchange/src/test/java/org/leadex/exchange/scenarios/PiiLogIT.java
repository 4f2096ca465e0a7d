package org.leadex.exchange.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.logging.StreamHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.leadex.exchange.support.Http;
import org.leadex.exchange.support.TestBuyers;
import org.leadex.exchange.support.TestDatabase;
import org.leadex.exchange.support.TestExchange;

/**
 * A lead's PII never reaches a log (at any level, from our code, Vert.x or Netty), an error answer,
 * or a bid request, on every path a lead takes: sold, rejected, timed out, refused as invalid or
 * mismatched, and failed inside the database with an error whose text quotes the PII.
 */
class PiiLogIT {
  static final String CANARY = "canary";
  // Loggers are held strongly: java.util.logging forgets the level of a logger nobody references.
  static final List<Logger> LOUD = List.of(Logger.getLogger("org.leadex"), Logger.getLogger("io.vertx"),
      Logger.getLogger("io.netty"));
  // A real handler (it formats, and honours its level and filter, as console and file handlers do).
  static final java.io.ByteArrayOutputStream logged = new java.io.ByteArrayOutputStream();
  static final StreamHandler capture = new StreamHandler(logged, new SimpleFormatter() {
    @Override
    public String format(LogRecord record) {
      return record.getLoggerName() + " " + super.format(record);
    }
  });

  static TestExchange exchange;
  static TestBuyers buyers;
  static String sellerKey;
  static final List<Http.Reply> replies = new ArrayList<>();

  @BeforeAll
  static void start() {
    capture.setLevel(Level.ALL);
    Logger.getLogger("").addHandler(capture);
    LOUD.forEach(logger -> logger.setLevel(Level.ALL));
    exchange = TestExchange.start(TestDatabase.fresh("piilog"));
    buyers = TestBuyers.start();
    sellerKey = exchange.seller("pub", "{\"type\":\"revenue_share\",\"percent\":80}");
    exchange.buyer("taker", buyers.bidderJson("taker", 1_000));
    buyers.buyer("taker").bids("9.00");
    exchange.buyer("rejecter", buyers.fixedPriceJson("rejecter", "8.00"));
    buyers.buyer("rejecter").rejects().rejectReason = "bad_lead";
    exchange.buyer("sleeper", buyers.fixedPriceJson("sleeper", "7.00"));
    buyers.buyer("sleeper").postDelayMillis = 1_000;
    exchange.buyer("sure", buyers.fixedPriceJson("sure", "1.00")); // sells even when a loaded machine delays the bid
    exchange.campaign("sold", TestExchange.campaignJson("[{\"mode\":\"auction\",\"buyers\":[\"taker\",\"sure\"]}]", ""));
    exchange.campaign("unsold", TestExchange.campaignJson("[{\"mode\":\"waterfall\",\"buyers\":[\"rejecter\",\"sleeper\"]}]",
        "\"post_timeout_ms\":200"));
  }

  @AfterAll
  static void stop() {
    exchange.close();
    buyers.close();
    Logger.getLogger("").removeHandler(capture);
    LOUD.forEach(logger -> logger.setLevel(null));
  }

  static String lead(String tag) {
    return "{\"zip\":\"90210\",\"state\":\"CA\",\"age\":42,\"first_name\":\"Zeb-" + CANARY + tag + "\",\"last_name\":\"Q"
        + CANARY + "\",\"email\":\"pii-" + CANARY + tag + "@example.com\",\"phone\":\"+13105557319\",\"address\":\"77 "
        + CANARY + " Row\"}";
  }

  static Http.Reply call(String path, String body) {
    Http.Reply reply = exchange.call("POST", path, sellerKey, body);
    replies.add(reply);
    return reply;
  }

  @Test
  void piiReachesNoLogNoErrorAnswerAndNoBidRequestOnAnyPath() throws Exception {
    assertEquals("sold", call("/v1/leads", "{\"campaign\":\"sold\",\"lead\":" + lead("1") + "}").text("status"));
    String pingId = call("/v1/ping", TestExchange.pingBody("unsold")).text("ping_id");
    Http.Reply unsold = call("/v1/post", "{\"ping_id\":\"" + pingId + "\",\"lead\":" + lead("2") + "}");
    assertEquals("unsold", unsold.text("status"), unsold.body());

    String other = call("/v1/ping", TestExchange.pingBody("sold")).text("ping_id");
    Http.Reply mismatch = call("/v1/post", "{\"ping_id\":\"" + other + "\",\"lead\":" + lead("3").replace("90210", "90211") + "}");
    assertEquals("lead_mismatch", mismatch.text("error"), mismatch.body());
    Http.Reply piiInPing = call("/v1/ping", "{\"campaign\":\"sold\",\"lead\":{\"zip\":\"90210\",\"state\":\"CA\","
        + "\"email\":\"pii-" + CANARY + "@example.com\"}}");
    assertEquals(400, piiInPing.status());
    Http.Reply tooLong = call("/v1/leads", "{\"campaign\":\"sold\",\"lead\":" + lead("4").replace("77 ", "x".repeat(1_000)) + "}");
    assertEquals("lead.address", tooLong.text("field"), tooLong.body());
    Http.Reply badType = call("/v1/leads", "{\"campaign\":\"sold\",\"lead\":" + lead("5").replace("\"Q" + CANARY + "\"",
        "[\"" + CANARY + "\"]") + "}");
    assertEquals("lead.last_name", badType.text("field"), badType.body());

    // A database error whose text quotes the row's PII, as many do ("invalid input syntax ... "…"").
    try (Connection conn = exchange.jdbc()) {
      conn.createStatement().execute("create function refuse_boom() returns trigger language plpgsql as $$ begin "
          + "if new.pii::text like '%boom%' then raise exception 'cannot store %', new.pii; end if; return new; end $$");
      conn.createStatement().execute("create trigger refuse_boom before insert on leads for each row execute function refuse_boom()");
    }
    Http.Reply failed = call("/v1/leads", "{\"campaign\":\"sold\",\"lead\":" + lead("boom") + "}");
    assertTrue(failed.status() >= 500, "the injected failure happened: " + failed.status() + " " + failed.body());
    Thread.sleep(300); // the exchange logs the failure as it answers; let the record land

    for (Http.Reply reply : replies) {
      if (reply.status() >= 400) {
        assertFalse(reply.body().contains(CANARY), "an error answer echoes PII: " + reply.body());
      }
    }
    assertTrue(buyers.buyer("taker").bidRequests.size() >= 2, "the bidder was asked");
    for (String buyer : List.of("taker", "rejecter", "sleeper", "sure")) {
      assertFalse(buyers.buyer(buyer).bidRequests.toString().contains(CANARY), "PII in a bid request to " + buyer);
    }
    capture.flush();
    String text = logged.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(text.contains("internal error on POST /v1/leads") && text.contains("P0001"),
        "the failure was logged (with its SQLSTATE): else this test proves nothing");
    int at = text.indexOf(CANARY);
    assertTrue(at < 0, "PII in the log: ..." + (at < 0 ? "" : text.substring(Math.max(0, at - 600), Math.min(text.length(), at + 200))));
  }
}
