package org.leadex.simulator;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.leadex.simulator.certify.CertifyCommand;
import org.leadex.simulator.config.BuyerConfig;
import org.leadex.simulator.config.ConfigFile;
import org.leadex.simulator.config.Presets;
import org.leadex.simulator.config.SimulatorConfig;
import org.leadex.simulator.register.ExchangeRegistration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Main thread only (plus the JVM's shutdown hook): the command line. Reads flags and the config
 * file, starts the simulator, registers it with an exchange when asked, and runs until SIGTERM,
 * Ctrl-C or {@code --duration}, printing the stats on the way out when asked.
 */
@Command(
    name = "buyer-simulator",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    version = "buyer-simulator 0.1.0",
    usageHelpWidth = 100,
    subcommands = CertifyCommand.class,
    description = {
      "Hosts a crowd of simulated ping-post buyers, each with its own bid and post endpoints:",
      "  POST http://HOST:PORT/buyers/{id}/bid, POST .../buyers/{id}/post,",
      "  GET /stats (counts per buyer and totals), GET /stats/connections, GET /health,",
      "  POST|GET|DELETE /control/storm (make a share of the buyers hang for a while).",
      "Flags override the config file's top-level settings. See docs/buyer-simulator.md.",
      "The command 'certify --bid-url URL --post-url URL' checks a real buyer's endpoints instead",
      "(the buyer conformance kit: certify --help, docs/buyers.md).",
      ""
    },
    footer = {"", "Presets: realistic, fast, flaky, slow, picky (docs/buyer-simulator.md lists their numbers).",
      "Exit codes: 0 ok, 1 could not start or register, 2 bad flags or config."})
public final class BuyerSimulatorMain implements Runnable {

  @Option(names = "--port", paramLabel = "PORT",
      description = "First port to listen on; 0 = any free port. Default: 9100, or the config file's \"port\".")
  Integer port;

  @Option(names = "--ports", paramLabel = "N",
      description = "Spread the buyers over N ports (PORT, PORT+1, ...), one event loop each. Default: 1.")
  Integer ports;

  @Option(names = "--host", paramLabel = "ADDRESS",
      description = "Address to bind and to put in buyer URLs. Default: 127.0.0.1.")
  String host;

  @Option(names = "--buyers", paramLabel = "N",
      description = "How many buyers to simulate (without --config, or with a config file that has no \"buyers\"). Default: 10.")
  Integer buyers;

  @Option(names = "--preset", paramLabel = "NAME",
      description = "The buyers' behaviour: realistic, fast, flaky, slow or picky. Default: realistic.")
  String preset;

  @Option(names = "--id-prefix", paramLabel = "PREFIX",
      description = "Buyer ids are PREFIX-001, PREFIX-002, ... Default: sim.")
  String idPrefix;

  @Option(names = "--config", paramLabel = "FILE",
      description = "A JSON config file: seed, host, port, ports and a list of buyers or groups of buyers, "
          + "each a preset with overrides (format in docs/buyer-simulator.md).")
  Path config;

  @Option(names = "--seed", paramLabel = "SEED",
      description = "Seed of all randomness; the same seed and the same requests give the same answers. "
          + "Default: 1, or the config file's \"seed\".")
  Long seed;

  @Option(names = "--register", paramLabel = "URL",
      description = "Register the buyers and a campaign using them with the exchange at URL through its admin API, "
          + "e.g. http://127.0.0.1:8080.")
  String register;

  @Option(names = "--admin-key", paramLabel = "KEY", defaultValue = "${env:EXCHANGE_ADMIN_KEY}",
      description = "The exchange's admin API key for --register. Default: $EXCHANGE_ADMIN_KEY.")
  String adminKey;

  @Option(names = "--campaign", paramLabel = "ID", defaultValue = "sim-campaign",
      description = "The campaign to create (or replace) when registering. Default: ${DEFAULT-VALUE}.")
  String campaign;

  @Option(names = "--sale-mode", paramLabel = "MODE", defaultValue = "exclusive",
      description = "The registered campaign's sale mode: exclusive, shared or best. Default: ${DEFAULT-VALUE}.")
  String saleMode;

  @Option(names = "--seller", paramLabel = "ID",
      description = "Also create this seller when registering and print its API key as one line: seller_api_key=KEY.")
  String seller;

  @Option(names = "--stats-on-exit",
      description = "On exit (SIGTERM, Ctrl-C or --duration) print the stats JSON to standard output.")
  boolean statsOnExit;

  @Option(names = "--stats-file", paramLabel = "FILE",
      description = "On exit also write the stats JSON to FILE.")
  Path statsFile;

  @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "0",
      description = "Stop by itself after SECONDS; 0 = run until stopped. Default: ${DEFAULT-VALUE}.")
  long durationSeconds;

  @Option(names = "--print-config",
      description = "Print the effective configuration (every buyer with its full profile) as a config file, and exit.")
  boolean printConfig;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private final AtomicBoolean stopped = new AtomicBoolean();

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command with its error reporting: one clear line, no stack trace, no wall of usage text. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new BuyerSimulatorMain());
    cl.setParameterExceptionHandler((e, args) -> {
      e.getCommandLine().getErr().println("buyer-simulator: " + e.getMessage());
      e.getCommandLine().getErr().println("Try --help.");
      return 2;
    });
    cl.setExecutionExceptionHandler((e, command, parsed) -> {
      command.getErr().println("buyer-simulator: " + e.getMessage());
      return 1;
    });
    return cl;
  }

  @Override
  public void run() {
    SimulatorConfig cfg;
    ExchangeRegistration.Plan plan;
    try {
      if (durationSeconds < 0) {
        throw new IllegalArgumentException("--duration must be ≥ 0");
      }
      cfg = effectiveConfig();
      plan = register == null ? null : new ExchangeRegistration.Plan(register, adminKey, campaign, seller, saleMode);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    if (printConfig) {
      System.out.println(ConfigFile.write(cfg));
      return;
    }
    Vertx vertx = Vertx.vertx();
    BuyerSimulator sim;
    try {
      sim = BuyerSimulator.start(vertx, cfg).await(30, TimeUnit.SECONDS);
      if (plan != null) {
        ExchangeRegistration.Result r = ExchangeRegistration.register(vertx, sim, plan).await(120, TimeUnit.SECONDS);
        System.out.println("registered " + r.buyerIds().size() + " buyers and campaign " + r.campaignId() + " at " + plan.exchangeUrl());
        if (r.sellerApiKey() != null) {
          System.out.println("seller_api_key=" + r.sellerApiKey());
        }
      }
    } catch (RuntimeException | TimeoutException e) {
      vertx.close();
      throw new IllegalStateException(e.getMessage(), e);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(sim, vertx), "buyer-simulator-exit"));
    System.out.println("buyer-simulator ready: " + cfg.buyers().size() + " buyers on " + cfg.host() + ":" + portsText(sim)
        + " (seed " + cfg.seed() + "); stats at " + sim.statsUrl());
    System.out.flush();
    awaitEnd();
    stop(sim, vertx);
  }

  /** Flags first, then the config file, then the defaults. */
  SimulatorConfig effectiveConfig() {
    ConfigFile file = config == null ? new ConfigFile(null, null, null, null, null) : ConfigFile.read(config);
    List<BuyerConfig> list = file.buyers();
    if (!list.isEmpty() && (buyers != null || preset != null || idPrefix != null)) {
      throw new IllegalArgumentException("the config file lists buyers; --buyers, --preset and --id-prefix apply only when it does not");
    }
    if (list.isEmpty()) {
      list = BuyerConfig.group(
          idPrefix == null ? "sim" : idPrefix,
          buyers == null ? 10 : buyers,
          Presets.named(preset == null ? "realistic" : preset));
    }
    SimulatorConfig fromFile = new ConfigFile(file.seed(), file.host(), file.port(), file.ports(), list).toConfig();
    return new SimulatorConfig(
        seed == null ? fromFile.seed() : seed,
        host == null ? fromFile.host() : host,
        port == null ? fromFile.port() : port,
        ports == null ? fromFile.ports() : ports,
        list);
  }

  private void awaitEnd() {
    CountDownLatch forever = new CountDownLatch(1);
    try {
      if (durationSeconds > 0) {
        forever.await(durationSeconds, TimeUnit.SECONDS);
      } else {
        forever.await();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Once, from whichever comes first: the end of --duration or the shutdown hook. */
  private void stop(BuyerSimulator sim, Vertx vertx) {
    if (!stopped.compareAndSet(false, true)) {
      return;
    }
    String json = sim.stats().toPrettyJson();
    if (statsOnExit) {
      System.out.println(json);
      System.out.flush();
    }
    if (statsFile != null) {
      try {
        Files.writeString(statsFile, json + System.lineSeparator());
      } catch (IOException e) {
        System.err.println("buyer-simulator: cannot write " + statsFile + ": " + e.getMessage());
      }
    }
    try {
      vertx.close().await(10, TimeUnit.SECONDS);
    } catch (TimeoutException | RuntimeException e) {
      System.err.println("buyer-simulator: Vert.x did not close in 10 s: " + e.getMessage());
    }
  }

  private static String portsText(BuyerSimulator sim) {
    List<Integer> p = sim.ports();
    return p.size() == 1 ? String.valueOf(p.get(0)) : p.toString();
  }
}
