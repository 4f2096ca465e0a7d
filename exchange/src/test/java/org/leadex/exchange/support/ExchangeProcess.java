package org.leadex.exchange.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The exchange as an operating-system process (the class path of this test JVM, {@code ExchangeMain}),
 * for scenarios that kill it ({@code kill -9}) or stop it (SIGTERM). Its output is kept for messages.
 */
public final class ExchangeProcess implements AutoCloseable {
  private final Process process;
  private final int port;
  private final List<String> log = Collections.synchronizedList(new ArrayList<>());
  private final Thread reader;

  private ExchangeProcess(Process process, int port, CompletableFuture<Void> ready) throws Exception {
    this.process = process;
    this.port = port;
    BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    reader = new Thread(() -> lines.lines().forEach(line -> {
      log.add(line);
      if (line.contains("exchange ready on port")) {
        ready.complete(null);
      }
    }), "exchange-process-log");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts an exchange process on a free port against {@code databaseUrl}; returns once it is ready. */
  public static ExchangeProcess start(String databaseUrl, String... args) throws Exception {
    int port = freePort();
    List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
        "-Xmx256m", "-cp", System.getProperty("java.class.path"), "org.leadex.exchange.ExchangeMain",
        "--port", String.valueOf(port), "--no-warmup", "--event-loops", "2",
        "--max-loop-lag-ms", "5000", "--overload-lag-ms", "0")); // a cold JVM on a shared machine: shed nothing in scenarios
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("DATABASE_URL", databaseUrl);
    builder.environment().put("EXCHANGE_ADMIN_KEY", TestExchange.ADMIN_KEY);
    CompletableFuture<Void> ready = new CompletableFuture<>();
    ExchangeProcess started = new ExchangeProcess(builder.start(), port, ready);
    try {
      ready.get(90, TimeUnit.SECONDS);
    } catch (Exception e) {
      started.kill();
      throw new IllegalStateException("the exchange process did not get ready:\n" + started.output(), e);
    }
    return started;
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** {@code kill -9}: no shutdown hook runs, nothing buffered is written. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM: the exchange drains and stops. */
  public void terminate() {
    process.toHandle().destroy();
  }

  public boolean waitForExit(long seconds) throws InterruptedException {
    boolean exited = process.waitFor(seconds, TimeUnit.SECONDS);
    if (exited) {
      reader.join(5_000);
    }
    return exited;
  }

  public int exitValue() {
    return process.exitValue();
  }

  public boolean alive() {
    return process.isAlive();
  }

  /** Everything the process printed so far. */
  public String output() {
    synchronized (log) {
      return String.join("\n", log);
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
