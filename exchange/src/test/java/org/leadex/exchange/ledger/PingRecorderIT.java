package org.leadex.exchange.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.leadex.exchange.auction.BidOutcome;
import org.leadex.exchange.auction.BidResult;
import org.leadex.exchange.catalog.Buyer;
import org.leadex.exchange.money.Money;
import org.leadex.exchange.postgres.Database;
import org.leadex.exchange.support.TestDatabase;
import org.leadex.exchange.support.TestExchange;

/** The batched ping writer against real PostgreSQL: a batch written twice is stored once. */
class PingRecorderIT {

  private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void aPingRecordedTwiceIsStoredOnceWithItsBidsOnce() throws Exception {
    // an exchange creates the schema and today's partitions; then a recorder of our own writes to it
    try (TestExchange exchange = TestExchange.start(TestDatabase.fresh("recorder"))) {
      Vertx vertx = Vertx.vertx();
      Pool pool = Database.pool(vertx, Database.options(exchange.databaseUrl()), 2);
      try {
        PingRecorder recorder = new PingRecorder(vertx, pool, 5, 1_000);
        recorder.start();
        long now = System.currentTimeMillis();
        UUID id = RecordIds.newId(now);
        Buyer buyer = new Buyer(7, "b", "b", Optional.of(URI.create("http://127.0.0.1/bid")),
            URI.create("http://127.0.0.1/post"), Optional.empty(), 100, List.of(), 0, true);
        PingRecord ping = new PingRecord(id, Instant.ofEpochMilli(now), 1, 1, "s", false, false, Money.ofCents(500),
            Money.ofCents(400), 1234, "{\"zip\":\"90210\"}", List.of(),
            List.of(new BidResult(buyer, 0, BidOutcome.BID, Money.ofCents(500), null, 20_000, null),
                new BidResult(buyer, 0, BidOutcome.TIMEOUT, null, null, 140_000, "no answer")), null);
        recorder.record(ping);
        await(recorder.flushed());
        recorder.record(ping); // as a retry after a lost commit acknowledgement would
        await(recorder.flushed());
        try (Connection conn = exchange.jdbc();
             ResultSet rs = conn.createStatement().executeQuery("select (select count(*) from pings where id = '" + id
                 + "'), (select count(*) from bids where ping_id = '" + id + "')")) {
          rs.next();
          assertEquals(1, rs.getLong(1));
          assertEquals(2, rs.getLong(2));
        }
        assertEquals(0, recorder.dropped());
        await(recorder.close());
      } finally {
        await(pool.close());
        await(vertx.close());
      }
    }
  }
}
