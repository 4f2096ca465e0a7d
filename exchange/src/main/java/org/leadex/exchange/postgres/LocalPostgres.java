package org.leadex.exchange.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of the exchange's own, for when no DATABASE_URL is configured: the demo and
 * the test suite need nothing installed but the PostgreSQL server binaries.
 *
 * <p>Blocking: called at start-up and shutdown only, never from an event loop.
 *
 * <p>The cluster lives in {@code <dataDir>/pg}, listens on 127.0.0.1 only, on a free port chosen at
 * each start, and trusts local connections (it is reachable only from this machine). PostgreSQL
 * refuses to run as root; when we are root, every server command runs as the {@code postgres}
 * system user through {@code runuser}, and the cluster directory is given to that user.
 */
public final class LocalPostgres implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(LocalPostgres.class.getName());
  public static final String USER = "exchange";

  private final Path clusterDir;
  private final Path binDir;
  private final boolean asPostgresUser;
  private final List<String> extraSettings;
  private int port;
  private boolean startedByUs;

  private LocalPostgres(Path clusterDir, Path binDir, boolean asPostgresUser, List<String> extraSettings) {
    this.clusterDir = clusterDir;
    this.binDir = binDir;
    this.asPostgresUser = asPostgresUser;
    this.extraSettings = extraSettings;
  }

  /**
   * Starts (initialising if needed) or reuses the cluster under {@code dataDir}.
   *
   * @param extraSettings server settings as {@code name=value}, e.g. {@code fsync=off} for tests
   */
  public static LocalPostgres start(Path dataDir, List<String> extraSettings) {
    Path bin = findBinaries().orElseThrow(() -> new IllegalStateException(
        "no DATABASE_URL is set and no PostgreSQL server binaries were found (looked for initdb and "
            + "pg_ctl in $PG_BIN, /usr/lib/postgresql/*/bin, /usr/local/pgsql/bin, /opt/homebrew/bin "
            + "and PATH). Install PostgreSQL (e.g. apt-get install postgresql) or set DATABASE_URL."));
    boolean root = isRoot();
    Path cluster = dataDir.toAbsolutePath().normalize().resolve("pg");
    if (root && !reachableByPostgresUser(cluster.getParent())) {
      // e.g. a clone under /root, which the postgres user cannot enter: keep the cluster where it can.
      Path elsewhere = Path.of("/var/tmp", "leadex-pg-" + Integer.toHexString(cluster.toString().hashCode()), "pg");
      LOG.warning("the postgres user cannot reach " + cluster + "; keeping the local cluster in " + elsewhere);
      cluster = elsewhere;
    }
    LocalPostgres pg = new LocalPostgres(cluster, bin, root, List.copyOf(extraSettings));
    pg.startOrReuse();
    return pg;
  }

  public int port() {
    return port;
  }

  /** The URL to hand to the exchange, for the given database. */
  public String url(String database) {
    return "postgresql://" + USER + "@127.0.0.1:" + port + "/" + database;
  }

  /** Creates the database when it does not exist yet. */
  public void ensureDatabase(String database) {
    String exists = psql("postgres", "select 1 from pg_database where datname = '" + database + "'");
    if (!exists.trim().equals("1")) {
      psql("postgres", "create database \"" + database + "\"");
    }
  }

  /** Drops a database (tests use one per scenario). */
  public void dropDatabase(String database) {
    psql("postgres", "drop database if exists \"" + database + "\" with (force)");
  }

  private void startOrReuse() {
    try {
      Files.createDirectories(clusterDir.getParent());
      if (!Files.exists(clusterDir.resolve("PG_VERSION"))) {
        Files.createDirectories(clusterDir);
        giveToPostgresUser(clusterDir);
        run(List.of(bin("initdb"), "-D", clusterDir.toString(), "-U", USER, "--auth=trust",
            "-E", "UTF8", "--locale=C"), 120);
        LOG.info("initialised a local PostgreSQL cluster in " + clusterDir);
      }
      Optional<Integer> running = runningPort();
      if (running.isPresent()) {
        port = running.get();
        LOG.info("reusing the local PostgreSQL already running on 127.0.0.1:" + port + " (" + clusterDir + ")");
        return;
      }
      port = freePort();
      Path log = clusterDir.resolveSibling("postgres.log");
      if (!Files.exists(log)) {
        Files.createFile(log);
        giveToPostgresUser(log);
      }
      run(List.of(bin("pg_ctl"), "-D", clusterDir.toString(), "-l", log.toString(), "-w", "-t", "60",
          "-o", serverOptions(), "start"), 90);
      startedByUs = true;
      LOG.info("started a local PostgreSQL on 127.0.0.1:" + port + " in " + clusterDir + " (log: " + log + ")");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops the server now (fast: open sessions are ended), keeping its port for {@link #startAgain}. Tests of database faults. */
  public void stopNow() {
    run(List.of(bin("pg_ctl"), "-D", clusterDir.toString(), "-m", "fast", "-w", "stop"), 60);
  }

  /** Starts a server stopped by {@link #stopNow} again, on the same port. */
  public void startAgain() {
    run(List.of(bin("pg_ctl"), "-D", clusterDir.toString(), "-l", clusterDir.resolveSibling("postgres.log").toString(),
        "-w", "-t", "60", "-o", serverOptions(), "start"), 90);
  }

  private String serverOptions() {
    StringBuilder options = new StringBuilder("-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=''");
    for (String setting : extraSettings) {
      options.append(" -c ").append(setting);
    }
    return options.toString();
  }

  /** Stops the server if this process started it. */
  @Override
  public void close() {
    if (startedByUs) {
      run(List.of(bin("pg_ctl"), "-D", clusterDir.toString(), "-m", "fast", "-w", "stop"), 60);
      startedByUs = false;
    }
  }

  /** The port in postmaster.pid when the server it names is alive and answering. */
  private Optional<Integer> runningPort() throws IOException {
    Path pid = clusterDir.resolve("postmaster.pid");
    if (!Files.exists(pid)) {
      return Optional.empty();
    }
    int status = exitCode(List.of(bin("pg_ctl"), "-D", clusterDir.toString(), "status"));
    if (status != 0) {
      return Optional.empty();
    }
    List<String> lines = Files.readAllLines(pid);
    return lines.size() > 3 ? Optional.of(Integer.parseInt(lines.get(3).trim())) : Optional.empty();
  }

  private String psql(String database, String sql) {
    return run(List.of(bin("psql"), "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", USER,
        "-d", database, "-v", "ON_ERROR_STOP=1", "-tA", "-c", sql), 60);
  }

  private String bin(String name) {
    return binDir.resolve(name).toString();
  }

  private void giveToPostgresUser(Path path) {
    if (asPostgresUser) {
      run(List.of("chown", "-R", "postgres:", path.toString()), 60, false);
    }
  }

  private String run(List<String> command, int timeoutSeconds) {
    return run(command, timeoutSeconds, asPostgresUser);
  }

  private int exitCode(List<String> command) {
    try {
      Process p = new ProcessBuilder(wrap(command, asPostgresUser)).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static String run(List<String> command, int timeoutSeconds, boolean asPostgres) {
    try {
      Process p = new ProcessBuilder(wrap(command, asPostgres)).redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("timed out: " + String.join(" ", command));
      }
      String text = new String(out, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new IllegalStateException("failed (" + p.exitValue() + "): " + String.join(" ", command) + "\n" + text);
      }
      return text;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static List<String> wrap(List<String> command, boolean asPostgres) {
    if (!asPostgres) {
      return command;
    }
    List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
    wrapped.addAll(command);
    return wrapped;
  }

  private static boolean reachableByPostgresUser(Path dir) {
    try {
      Files.createDirectories(dir);
      Process p = new ProcessBuilder("runuser", "-u", "postgres", "--", "test", "-x", dir.toString())
          .redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  static Optional<Path> findBinaries() {
    List<Path> candidates = new ArrayList<>();
    String env = System.getenv("PG_BIN");
    if (env != null && !env.isBlank()) {
      candidates.add(Path.of(env));
    }
    Path debian = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(debian)) {
      try (Stream<Path> versions = Files.list(debian)) {
        versions.filter(p -> p.getFileName().toString().matches("\\d+"))
            .sorted(Comparator.comparingInt((Path p) -> Integer.parseInt(p.getFileName().toString())).reversed())
            .forEach(p -> candidates.add(p.resolve("bin")));
      } catch (IOException ignored) {
        // an unreadable directory is simply not a candidate
      }
    }
    candidates.add(Path.of("/usr/local/pgsql/bin"));
    candidates.add(Path.of("/opt/homebrew/bin"));
    candidates.add(Path.of("/usr/local/bin"));
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(java.io.File.pathSeparator)) {
        candidates.add(Path.of(dir));
      }
    }
    return candidates.stream()
        .filter(dir -> Files.isExecutable(dir.resolve("initdb")) && Files.isExecutable(dir.resolve("pg_ctl")))
        .findFirst();
  }
}
