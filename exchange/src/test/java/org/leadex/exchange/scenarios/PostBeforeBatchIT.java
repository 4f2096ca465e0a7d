package org.leadex.exchange.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.leadex.exchange.support.Http;
import org.leadex.exchange.support.TestBuyers;
import org.leadex.exchange.support.TestDatabase;
import org.leadex.exchange.support.TestExchange;

/**
 * A post that comes before its ping's batch is written is served from the batch: it neither waits
 * for the batch nor forces it out. Pings are written every 10 s here, so the ping is still unwritten
 * when its post is sold, and is written later all the same.
 */
class PostBeforeBatchIT {
  static final int FLUSH_MILLIS = 6_000;
  static long startedNanos;
  static TestExchange exchange;
  static TestBuyers buyers;
  static String sellerKey;

  @BeforeAll
  static void start() {
    startedNanos = System.nanoTime();
    exchange = TestExchange.start(TestDatabase.fresh("batch"), s -> s.withFlushMillis(FLUSH_MILLIS));
    buyers = TestBuyers.start();
    sellerKey = exchange.seller("pub", "{\"type\":\"revenue_share\",\"percent\":80}");
    exchange.buyer("b", buyers.bidderJson("b", 1_000));
    buyers.buyer("b").bids("8.00");
    exchange.campaign("c", TestExchange.campaignJson("[{\"mode\":\"auction\",\"buyers\":[\"b\"]}]", ""));
  }

  @AfterAll
  static void stop() {
    exchange.close();
    buyers.close();
  }

  @Test
  void aPostBeforeItsPingsBatchIsSoldWithoutWritingTheBatch() throws Exception {
    Http.Reply ping = exchange.ping(sellerKey, TestExchange.pingBody("c"));
    assertEquals("bid", ping.text("status"), ping.body());
    String pingId = ping.text("ping_id");
    Http.Reply post = exchange.post(sellerKey, pingId, TestExchange.FULL_LEAD);
    assertEquals("sold", post.text("status"), post.body());
    long pingsWritten = count("select count(*) from pings where id = ?", pingId);
    long leads = count("select count(*) from leads where ping_id = ? and status = 'sold'", pingId);
    // the batch timer first fires FLUSH_MILLIS after start: past that, the batch may be written anyway
    Assumptions.assumeTrue(System.nanoTime() - startedNanos < (FLUSH_MILLIS - 1_000) * 1_000_000L,
        "start-up took too long to tell a forced batch from the timer's");
    assertEquals(1, leads);
    assertEquals(0, pingsWritten, "the post forced its ping's batch out");
    // and the ping is written with its batch
    for (int i = 0; i < 100 && count("select count(*) from pings where id = ?", pingId) == 0; i++) {
      Thread.sleep(100);
    }
    assertEquals(1, count("select count(*) from pings where id = ?", pingId));
  }

  private static long count(String sql, String id) throws Exception {
    try (Connection db = exchange.jdbc(); PreparedStatement st = db.prepareStatement(sql)) {
      st.setObject(1, UUID.fromString(id));
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
