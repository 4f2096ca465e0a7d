package org.leadex.simulator.config;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Immutable. A whole simulator process: the seed of all its randomness, where it listens, and its
 * buyers. Buyer {@code i} (in list order) is served on port index {@code i % ports}.
 *
 * @param seed one seed for the process; each buyer derives its own generators from (seed, id)
 * @param host the address to bind and to advertise in URLs (127.0.0.1 unless you know better)
 * @param port the first port; 0 lets the system choose a free port for each listening server
 * @param ports how many ports (servers, each on its own event loop) share the buyers; with
 *     {@code port} > 0 they are {@code port, port+1, …}
 * @param buyers the buyers, with unique ids
 */
public record SimulatorConfig(long seed, String host, int port, int ports, List<BuyerConfig> buyers) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int MAX_PORTS = 64;

  public SimulatorConfig {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host must not be blank");
    }
    if (ports < 1 || ports > MAX_PORTS) {
      throw new IllegalArgumentException("ports must be within 1.." + MAX_PORTS + ", got " + ports);
    }
    if (port < 0 || (port > 0 && port + ports - 1 > 65_535)) {
      throw new IllegalArgumentException("port must be 0 (any free port) or 1..65535 with room for " + ports + " ports, got " + port);
    }
    Objects.requireNonNull(buyers, "buyers is required");
    if (buyers.isEmpty()) {
      throw new IllegalArgumentException("a simulator needs at least one buyer");
    }
    buyers = List.copyOf(buyers);
    Set<String> seen = new HashSet<>();
    for (BuyerConfig b : buyers) {
      if (!seen.add(b.id())) {
        throw new IllegalArgumentException("buyer id '" + b.id() + "' appears twice");
      }
    }
  }

  /** Listening on one free port of 127.0.0.1: what tests want. */
  public static SimulatorConfig of(long seed, List<BuyerConfig> buyers) {
    return new SimulatorConfig(seed, DEFAULT_HOST, 0, 1, buyers);
  }

  /**
   * Reads a config file's JSON (format: {@link ConfigFile}); settings it leaves out take the
   * command line's defaults (seed 1, port 9100, ...), so tests usually say {@code "port": 0}.
   */
  public static SimulatorConfig fromJson(String json) {
    return ConfigFile.parse(json).toConfig();
  }

  public SimulatorConfig withSeed(long s) {
    return new SimulatorConfig(s, host, port, ports, buyers);
  }

  public SimulatorConfig withHost(String h) {
    return new SimulatorConfig(seed, h, port, ports, buyers);
  }

  public SimulatorConfig withPort(int p) {
    return new SimulatorConfig(seed, host, p, ports, buyers);
  }

  public SimulatorConfig withPorts(int n) {
    return new SimulatorConfig(seed, host, port, n, buyers);
  }

  public SimulatorConfig withBuyers(List<BuyerConfig> b) {
    return new SimulatorConfig(seed, host, port, ports, b);
  }
}
