package org.leadex.loadtest.engine;

import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.leadex.loadtest.traffic.LeadFactory;
import org.leadex.loadtest.traffic.RequestBodies;
import org.leadex.loadtest.traffic.TrafficMix;

/**
 * What the engine needs to send traffic.
 *
 * @param url the exchange's base URL; the operations' paths are appended to its path
 * @param sellerKey sent as {@code Authorization: Bearer <key>}
 * @param connections total HTTP/1.1 connections, shared out among the event loops
 * @param eventLoops event loops sending requests (each with its own client and pool)
 * @param timeout a request without an answer this long after its intended send time is given up,
 *     counted as a timeout and recorded at this latency (a lower bound of the truth); the request
 *     itself is closed only after twice this long without a byte
 * @param postDelay how long after a bid answer its post is sent (a seller collecting the PII)
 * @param maxRequests safety bound: arrivals (pings plus direct posts) over the whole run
 * @param pingDeadlineMillis ping answers later than this count as deadline misses (0: none)
 * @param progress where the live line goes once a second; null for none
 * @param buyerConnectionsUrl the buyer simulator's {@code /stats/connections}, to put the TCP
 *     connections opened to the buyers into the per-second series; null for none
 * @param alsoUrls more instances of the same exchange: requests go round robin over {@code url}
 *     and these (a client-side balancer without health checks: a post usually reaches another
 *     instance than its ping, and requests to a dead instance fail)
 * @param outcomes where every post's and direct post's answer is written; null for nowhere
 */
public record EngineSettings(URI url, String sellerKey, int connections, int eventLoops,
    Duration timeout, Duration postDelay, long maxRequests, long pingDeadlineMillis,
    TrafficMix mix, LeadFactory leads, RequestBodies bodies, PrintStream progress,
    URI buyerConnectionsUrl, List<URI> alsoUrls, OutcomeLog outcomes) {

  public EngineSettings {
    alsoUrls = List.copyOf(alsoUrls);
    for (URI u : concat(url, alsoUrls)) {
      if (!"http".equals(u.getScheme()) || u.getHost() == null) {
        throw new IllegalArgumentException("the URL must be http://host[:port][/path], got " + u);
      }
    }
    if (connections < 1 || eventLoops < 1) {
      throw new IllegalArgumentException("connections and event loops must be at least 1");
    }
    if (timeout.toMillis() < 1) {
      throw new IllegalArgumentException("the timeout must be at least 1 ms");
    }
  }

  /** Settings without a connection watch, further instances nor an outcome file. */
  public EngineSettings(URI url, String sellerKey, int connections, int eventLoops,
      Duration timeout, Duration postDelay, long maxRequests, long pingDeadlineMillis,
      TrafficMix mix, LeadFactory leads, RequestBodies bodies, PrintStream progress) {
    this(url, sellerKey, connections, eventLoops, timeout, postDelay, maxRequests,
        pingDeadlineMillis, mix, leads, bodies, progress, null, List.of(), null);
  }

  /** Every instance's base URL, {@code url} first. */
  public List<URI> targets() {
    return concat(url, alsoUrls);
  }

  public String host() {
    return url.getHost();
  }

  public int port() {
    return url.getPort() > 0 ? url.getPort() : 80;
  }

  /** The URL's path without a trailing slash, to put in front of {@code /v1/...}. */
  public String basePath() {
    return basePath(url);
  }

  /** A URL's path without a trailing slash. */
  public static String basePath(URI target) {
    String path = target.getRawPath() == null ? "" : target.getRawPath();
    return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  private static List<URI> concat(URI first, List<URI> more) {
    List<URI> all = new ArrayList<>();
    all.add(first);
    all.addAll(more == null ? List.of() : more);
    return all;
  }
}
