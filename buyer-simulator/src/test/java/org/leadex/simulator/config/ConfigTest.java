package org.leadex.simulator.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigTest {

  private static String message(Runnable r) {
    return assertThrows(IllegalArgumentException.class, r::run).getMessage();
  }

  @Test
  void money_is_whole_cents_with_at_most_two_decimals() {
    assertEquals(1425, Money.parse("14.25").cents());
    assertEquals(1240, Money.parse("12.4").cents());
    assertEquals("0.05", Money.format(5));
    assertEquals("14.25", Money.format(1425));
    assertEquals("10.00", Money.ofCents(1000).toString());
    assertEquals(new BigDecimal("14.25"), Money.ofCents(1425).toDecimal());
    assertTrue(message(() -> Money.parse("1.234")).contains("at most 2 decimals"));
    assertTrue(message(() -> Money.parse("-1")).contains("negative"));
  }

  @Test
  void records_refuse_impossible_settings_with_clear_messages() {
    assertTrue(message(() -> new LatencyModel(50, 20, 0)).contains("p99_ms"));
    assertTrue(message(() -> new LatencyModel(20, 80, 1.5)).contains("hang_rate"));
    assertTrue(message(() -> Presets.realistic().withBidProbability(-0.1)).contains("bid_probability"));
    assertTrue(message(() -> new PriceDistribution.Uniform(Money.parse("5"), Money.parse("2"))).contains("must not exceed"));
    assertTrue(message(() -> ErrorRates.each(0.3)).contains("more than 1"));
    assertTrue(message(() -> Presets.realistic().withLatency(new LatencyModel(20, 80, 0.5)).withErrors(ErrorRates.each(0.15)))
        .contains("hang_rate plus the error rates"));
    assertTrue(message(() -> ErrorRates.NONE.withOversized(0.1, 1000)).contains("oversized_bytes"));
    assertTrue(message(() -> BuyerConfig.of("Bad Id", Presets.fast())).contains("must match"));
    assertTrue(message(() -> SimulatorConfig.of(1, List.of(BuyerConfig.of("a", Presets.fast()), BuyerConfig.of("a", Presets.fast()))))
        .contains("appears twice"));
    assertTrue(message(() -> Presets.named("nope")).contains("known: realistic, fast, flaky, slow, picky"));
  }

  @Test
  void the_realistic_preset_has_the_documented_numbers() {
    BuyerProfile p = Presets.realistic();
    assertEquals(new LatencyModel(20, 80, 0.02), p.latency());
    assertEquals(0.7, p.bidProbability());
    assertEquals(new PriceDistribution.LogNormal(Money.parse("10"), Money.parse("30"), Money.parse("1"), Money.parse("50")), p.price());
    assertEquals(0.9, p.post().acceptRate());
    assertEquals(0.0, p.errors().total());
    assertTrue(Presets.flaky().errors().error500() > 0 && Presets.flaky().errors().malformed() > 0
        && Presets.flaky().errors().trickle() > 0 && Presets.flaky().errors().reset() > 0
        && Presets.flaky().errors().oversized() > 0 && Presets.flaky().latency().hangRate() > 0, "flaky has every error kind");
  }

  @Test
  void a_config_file_merges_overrides_onto_presets() {
    ConfigFile f = ConfigFile.parse("""
        {"seed": 7, "port": 0, "ports": 2,
         "buyers": [
           {"id_prefix": "acme", "count": 3, "preset": "realistic",
            "profile": {"bid_probability": 0.5, "latency": {"median_ms": 30},
                        "price": {"type": "uniform", "min": 5.00, "max": 20.00}}},
           {"id": "picky-ca", "name": "Picky CA", "preset": "fast",
            "profile": {"preferences": {"accept_states": ["CA"], "min_score": 40}, "daily_capacity": 100}}
         ]}""");
    SimulatorConfig c = f.toConfig();
    assertEquals(7, c.seed());
    assertEquals(2, c.ports());
    assertEquals(List.of("acme-001", "acme-002", "acme-003", "picky-ca"), c.buyers().stream().map(BuyerConfig::id).toList());
    BuyerProfile acme = c.buyers().get(0).profile();
    assertEquals(0.5, acme.bidProbability());
    assertEquals(new LatencyModel(30, 80, 0.02), acme.latency(), "only median_ms changed");
    assertEquals(new PriceDistribution.Uniform(Money.parse("5"), Money.parse("20")), acme.price(), "another type replaces the price");
    BuyerConfig picky = c.buyers().get(3);
    assertEquals("Picky CA", picky.name());
    assertEquals(new Preferences(List.of("CA"), 40), picky.profile().preferences());
    assertEquals(100, picky.profile().dailyCapacity());
    assertEquals(1.0, picky.profile().bidProbability(), "the rest is the fast preset");
  }

  @Test
  void a_config_file_without_settings_uses_the_documented_defaults() {
    SimulatorConfig c = ConfigFile.parse("{\"buyers\": [{\"id\": \"x\"}]}").toConfig();
    assertEquals(1, c.seed());
    assertEquals(9100, c.port());
    assertEquals(1, c.ports());
    assertEquals("127.0.0.1", c.host());
    assertEquals(Presets.realistic(), c.buyers().get(0).profile());
  }

  @Test
  void written_configs_read_back_the_same() {
    SimulatorConfig c = new SimulatorConfig(42, "127.0.0.1", 0, 2, List.of(
        BuyerConfig.of("a", Presets.flaky()),
        BuyerConfig.of("b", Presets.picky().withPrice(new PriceDistribution.Normal(
            Money.parse("10"), Money.parse("2.50"), Money.parse("1"), Money.parse("40")))),
        BuyerConfig.of("c", Presets.fast().withNoBidAsZero(true).withSharedBidRatio(0))));
    assertEquals(c, ConfigFile.parse(ConfigFile.write(c)).toConfig());
  }

  @Test
  void config_file_mistakes_name_the_place() {
    assertTrue(message(() -> ConfigFile.parse("{\"buyers\": [{\"id\": \"x\", \"profile\": {\"bid_probabilty\": 1}}]}"))
        .contains("bid_probabilty"));
    assertTrue(message(() -> ConfigFile.parse("{\"buyers\": [{\"id\": \"x\", \"profile\": {\"latency\": {\"p99_ms\": 5}}}]}"))
        .contains("buyers[0].profile"));
    assertTrue(message(() -> ConfigFile.parse("{\"buyers\": [{\"id\": \"x\", \"profile\": {\"price\": {\"type\": \"fixed\", \"price\": 1.234}}}]}"))
        .contains("at most 2 decimals"));
    assertTrue(message(() -> ConfigFile.parse("{\"buyers\": [{\"id_prefix\": \"x\"}]}")).contains("count"));
    assertTrue(message(() -> ConfigFile.parse("{\"sed\": 1}")).contains("unknown field \"sed\""));
    assertTrue(message(() -> ConfigFile.parse("{")).contains("not valid JSON"));
  }

  @Test
  void groups_are_numbered_so_that_ids_sort_in_order() {
    List<BuyerConfig> g = BuyerConfig.group("sim", 1000, Presets.fast());
    assertEquals("sim-0001", g.get(0).id());
    assertEquals("sim-1000", g.get(999).id());
    assertEquals("Simulated buyer sim-0001", g.get(0).name());
    assertInstanceOf(PriceDistribution.Fixed.class, g.get(0).profile().price());
    assertFalse(g.get(0).profile().noBidAsZero());
  }
}
