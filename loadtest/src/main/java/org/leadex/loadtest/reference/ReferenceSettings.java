package org.leadex.loadtest.reference;

import java.net.URI;
import java.util.List;

/**
 * Settings of the reference fan-out server.
 *
 * @param buyers the buyers' bid URLs (http only)
 * @param deadlineMs the ping's whole budget, from its arrival to its answer
 * @param reserveMs answer this much before the deadline (0: wait the full deadline, as the bare
 *     server of PERFORMANCE-NOTES did)
 * @param buyerConnections HTTP/1.1 connections per buyer host:port and event loop
 * @param abandonMs a buyer request silent for this long is closed; late answers arriving before
 *     that finish on their keep-alive connection and are ignored
 * @param maxAnswerBytes a buyer answer larger than this is no bid (too large)
 * @param maxInFlight answer 503 overloaded at once above this many pings in flight (0: never)
 * @param instances event loops (one server and one buyer client each)
 */
public record ReferenceSettings(String host, int port, List<URI> buyers, long deadlineMs,
    long reserveMs, String vertical, int buyerConnections, long abandonMs, int maxAnswerBytes,
    long maxInFlight, int instances) {

  public ReferenceSettings {
    buyers = List.copyOf(buyers);
    for (URI buyer : buyers) {
      if (!"http".equals(buyer.getScheme()) || buyer.getHost() == null) {
        throw new IllegalArgumentException("a buyer URL must be http://host[:port]/path: " + buyer);
      }
    }
    if (deadlineMs <= 0 || reserveMs < 0 || reserveMs >= deadlineMs) {
      throw new IllegalArgumentException("need deadline > 0 and 0 <= reserve < deadline");
    }
    if (buyerConnections < 1 || abandonMs < 1 || maxAnswerBytes < 1 || instances < 1) {
      throw new IllegalArgumentException("connections, abandon time, answer size and instances "
          + "must be positive");
    }
  }

  /** The same settings on another port (tests listen on port 0). */
  public ReferenceSettings withPort(int newPort) {
    return new ReferenceSettings(host, newPort, buyers, deadlineMs, reserveMs, vertical,
        buyerConnections, abandonMs, maxAnswerBytes, maxInFlight, instances);
  }
}
