package org.leadex.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.leadex.simulator.config.BuyerConfig;
import org.leadex.simulator.config.BuyerProfile;
import org.leadex.simulator.config.ErrorRates;
import org.leadex.simulator.config.LatencyModel;
import org.leadex.simulator.config.Money;
import org.leadex.simulator.config.PriceDistribution;
import org.leadex.simulator.config.Presets;

/**
 * The same seed and the same requests give the same answers, byte for byte, whatever the other
 * buyers are asked in between; another seed gives other answers.
 */
class RepeatabilityOverHttpTest {
  static SimulatorFixture fixture;

  /** Answers at once, bids half the time at uniform prices, 10% 500s and 10% malformed bodies. */
  static final BuyerProfile PROFILE = Presets.fast()
      .withBidProbability(0.5)
      .withPrice(new PriceDistribution.Uniform(Money.parse("1.00"), Money.parse("50.00")))
      .withLatency(LatencyModel.IMMEDIATE)
      .withErrors(ErrorRates.NONE.withError500(0.1).withMalformed(0.1));

  @BeforeAll
  static void start() {
    fixture = new SimulatorFixture();
  }

  @AfterAll
  static void stop() throws Exception {
    fixture.close();
  }

  /** 150 requests to buyer "x", each followed by {@code noise} requests to buyer "y"; x's answers as status + body. */
  private static List<String> answersOfX(long seed, int noise) throws Exception {
    BuyerSimulator sim = fixture.start(seed, List.of(BuyerConfig.of("y", PROFILE), BuyerConfig.of("x", PROFILE)));
    try {
      List<String> answers = new ArrayList<>();
      for (int i = 0; i < 150; i++) {
        HttpResponse<String> r = TestHttp.post(sim.bidUrl("x"), TestHttp.bid(i % 4 == 0 ? "TX" : "CA", i));
        answers.add(r.statusCode() + " " + r.body());
        for (int j = 0; j < noise; j++) {
          TestHttp.post(sim.bidUrl("y"), TestHttp.bid("CA", j));
        }
      }
      return answers;
    } finally {
      SimulatorFixture.stop(sim);
    }
  }

  @Test
  void the_same_seed_and_requests_give_the_same_answers_and_another_seed_other_answers() throws Exception {
    List<String> first = answersOfX(2026, 0);
    assertEquals(first, answersOfX(2026, 0));
    assertEquals(first, answersOfX(2026, 2), "requests to another buyer in between change nothing");
    assertNotEquals(first, answersOfX(2027, 0));
  }
}
