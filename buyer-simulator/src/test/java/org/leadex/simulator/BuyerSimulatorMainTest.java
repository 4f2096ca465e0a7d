package org.leadex.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leadex.simulator.config.ConfigFile;
import org.leadex.simulator.config.Presets;
import org.leadex.simulator.config.SimulatorConfig;
import org.leadex.simulator.stats.SimulatorStats;
import picocli.CommandLine;

/** The command line: help, precedence of flags over the config file, and a short real run. */
class BuyerSimulatorMainTest {

  /** Runs the command in this JVM and returns its exit code, standard output and standard error. */
  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StringWriter err = new StringWriter();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      CommandLine cl = BuyerSimulatorMain.commandLine();
      cl.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
      cl.setErr(new PrintWriter(err, true));
      int code = cl.execute(args);
      return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString());
    } finally {
      System.setOut(original);
    }
  }

  @Test
  void help_documents_every_flag() {
    Run help = run("--help");
    assertEquals(0, help.code());
    CommandLine.Model.CommandSpec spec = BuyerSimulatorMain.commandLine().getCommandSpec();
    List<String> required = List.of("--port", "--buyers", "--preset", "--config", "--seed", "--id-prefix", "--register",
        "--admin-key", "--campaign", "--stats-on-exit", "--help");
    for (String flag : required) {
      assertTrue(help.out().contains(flag), flag + " is in --help");
    }
    for (CommandLine.Model.OptionSpec o : spec.options()) {
      String description = String.join(" ", o.description());
      assertTrue(description.length() > 15, o.longestName() + " has a real description: '" + description + "'");
      assertTrue(help.out().contains(o.longestName()), o.longestName() + " is in --help");
    }
    for (String preset : Presets.names()) {
      assertTrue(help.out().contains(preset), "preset " + preset + " is named in --help");
    }
  }

  @Test
  void flags_override_the_config_file_which_overrides_the_defaults(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("sim.json");
    Files.writeString(file, "{\"seed\": 5, \"port\": 9200, \"ports\": 2, \"buyers\": [{\"id_prefix\": \"acme\", \"count\": 4, \"preset\": \"slow\"}]}");
    BuyerSimulatorMain main = new BuyerSimulatorMain();
    new CommandLine(main).parseArgs("--config", file.toString(), "--seed", "9");
    SimulatorConfig c = main.effectiveConfig();
    assertEquals(9, c.seed(), "flag");
    assertEquals(9200, c.port(), "file");
    assertEquals(2, c.ports(), "file");
    assertEquals("127.0.0.1", c.host(), "default");
    assertEquals(4, c.buyers().size());
    assertEquals(Presets.slow(), c.buyers().get(0).profile());

    BuyerSimulatorMain plain = new BuyerSimulatorMain();
    new CommandLine(plain).parseArgs("--buyers", "3", "--preset", "flaky", "--id-prefix", "demo");
    SimulatorConfig d = plain.effectiveConfig();
    assertEquals(List.of("demo-001", "demo-002", "demo-003"), d.buyers().stream().map(b -> b.id()).toList());
    assertEquals(Presets.flaky(), d.buyers().get(2).profile());
    assertEquals(9100, d.port());
    assertEquals(1, d.seed());
  }

  @Test
  void print_config_writes_a_file_that_reads_back_the_same() {
    Run r = run("--print-config", "--buyers", "2", "--preset", "picky", "--seed", "77", "--port", "0");
    assertEquals(0, r.code(), r.err());
    SimulatorConfig c = ConfigFile.parse(r.out()).toConfig();
    assertEquals(77, c.seed());
    assertEquals(Presets.picky(), c.buyers().get(1).profile());
  }

  @Test
  void mistakes_exit_2_with_one_clear_line() {
    Run r = run("--preset", "speedy");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("unknown preset 'speedy'"), r.err());
    Run noKey = run("--register", "http://127.0.0.1:1", "--admin-key", "");
    assertEquals(2, noKey.code());
    assertTrue(noKey.err().contains("admin key"), noKey.err());
  }

  @Test
  void a_short_run_registers_prints_the_seller_key_and_its_stats_on_exit(@TempDir Path dir) throws Exception {
    Vertx vertx = Vertx.vertx();
    List<String> paths = new CopyOnWriteArrayList<>();
    try {
      HttpServer exchange = vertx.createHttpServer().requestHandler(req -> {
        paths.add(req.method() + " " + req.path());
        req.response().putHeader("Content-Type", "application/json").end("{\"api_key\":\"sk-cli\"}");
      }).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
      Path statsFile = dir.resolve("stats.json");
      Run r = run("--port", "0", "--buyers", "2", "--preset", "fast", "--duration", "1", "--stats-on-exit",
          "--stats-file", statsFile.toString(), "--register", "http://127.0.0.1:" + exchange.actualPort(),
          "--admin-key", "adm", "--campaign", "cli-campaign", "--seller", "cli-seller");
      assertEquals(0, r.code(), r.err());
      assertTrue(r.out().lines().anyMatch(l -> l.equals("seller_api_key=sk-cli")), r.out());
      assertTrue(r.out().contains("buyer-simulator ready: 2 buyers on 127.0.0.1:"), r.out());
      assertEquals(List.of("PUT /v1/admin/buyers/sim-001", "PUT /v1/admin/buyers/sim-002",
          "PUT /v1/admin/campaigns/cli-campaign", "PUT /v1/admin/sellers/cli-seller"), paths);
      String json = r.out().substring(r.out().indexOf("{"));
      SimulatorStats printed = SimulatorStats.parse(json);
      assertEquals(2, printed.buyers().size());
      assertEquals(printed, SimulatorStats.parse(Files.readString(statsFile)));
      assertFalse(r.err().contains("Exception"), r.err());
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
