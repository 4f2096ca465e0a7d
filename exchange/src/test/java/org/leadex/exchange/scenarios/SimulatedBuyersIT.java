package org.leadex.exchange.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.leadex.exchange.support.Http;
import org.leadex.exchange.support.TestDatabase;
import org.leadex.exchange.support.TestExchange;
import org.leadex.simulator.BuyerSimulator;
import org.leadex.simulator.config.BuyerConfig;
import org.leadex.simulator.config.Presets;
import org.leadex.simulator.config.SimulatorConfig;
import org.leadex.simulator.register.ExchangeRegistration;
import org.leadex.simulator.stats.SimulatorStats;

/**
 * The buyer simulator against the real exchange: it registers its crowd through the admin API, a
 * seller trades through it, and what the buyers say they were charged equals the exchange's ledger
 * to the cent.
 */
class SimulatedBuyersIT {

  private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  @Test
  void whatSimulatedBuyersWereChargedEqualsTheLedger() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (TestExchange exchange = TestExchange.start(TestDatabase.fresh("simulated"))) {
      // realistic prices and post refusals, but prompt answers, so every ping meets its deadline here
      SimulatorConfig config = SimulatorConfig.of(7, BuyerConfig.group("sim-", 8,
          Presets.fast().withBidProbability(0.7).withPrice(Presets.realistic().price())
              .withPost(Presets.realistic().post()).withTimeoutMs(120)));
      BuyerSimulator simulator = await(BuyerSimulator.start(vertx, config));
      ExchangeRegistration.Result registered = await(ExchangeRegistration.register(vertx, simulator,
          new ExchangeRegistration.Plan(exchange.url(), TestExchange.ADMIN_KEY, "sim-campaign", "sim-seller", null)));
      assertEquals(8, registered.buyerIds().size());
      String sellerKey = registered.sellerApiKey();
      int sold = 0;
      for (int i = 0; i < 60; i++) {
        Http.Reply reply = exchange.call("POST", "/v1/leads", sellerKey, "{\"campaign\":\"sim-campaign\",\"source\":\"sim\","
            + "\"lead\":{\"zip\":\"90210\",\"state\":\"CA\",\"age\":40,\"email\":\"x" + i + "@example.com\"}}");
        assertEquals(200, reply.status(), reply.body());
        sold += "sold".equals(reply.text("status")) ? 1 : 0;
      }
      assertTrue(sold > 30, "sold " + sold);
      // the simulator counts a post once its answer is written, a moment after the exchange read it
      SimulatorStats stats = simulator.stats();
      for (int i = 0; i < 200 && stats.totals().accepted() < sold; i++) {
        Thread.sleep(10);
        stats = simulator.stats();
      }
      assertEquals(sold, stats.totals().accepted());
      try (Connection conn = exchange.jdbc();
           ResultSet rs = conn.createStatement().executeQuery(
               "select count(*), coalesce(sum(price_cents), 0) from sales where not test")) {
        rs.next();
        assertEquals(sold, rs.getLong(1));
        assertEquals(stats.totals().chargedCents(), rs.getLong(2), "buyers' charges vs the exchange's sales");
      }
      try (Connection conn = exchange.jdbc();
           ResultSet rs = conn.createStatement().executeQuery(
               "select coalesce(sum(amount_cents), 0) from money_events where kind = 'sale' and not test")) {
        rs.next();
        assertEquals(stats.totals().chargedCents(), rs.getLong(1), "buyers' charges vs the ledger's sale events");
      }
      await(simulator.close());
    } finally {
      await(vertx.close());
    }
  }
}
