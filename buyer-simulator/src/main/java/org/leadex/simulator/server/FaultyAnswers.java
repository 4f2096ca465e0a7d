package org.leadex.simulator.server;

import io.netty.channel.ChannelOption;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.impl.ConnectionBase;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Event-loop confined: the broken answers that need more than one write — trickled, oversized —
 * and the connection reset. Each must be called on the event loop of the request's connection, and
 * every step afterwards runs there too (timers and drain handlers, never a sleep).
 */
final class FaultyAnswers {
  private FaultyAnswers() {}

  /** Bytes written per step of a trickled answer. */
  static final int TRICKLE_BYTES = 2;

  private static final int FILLER_BYTES = 64 * 1024;
  private static final Buffer FILLER = filler();

  private static Buffer filler() {
    byte[] bytes = new byte[FILLER_BYTES];
    Arrays.fill(bytes, (byte) 'a');
    return Buffer.buffer(bytes);
  }

  /**
   * Sends status and headers at once, then {@code body} {@value #TRICKLE_BYTES} bytes at a time,
   * evenly spaced so that the last byte leaves no sooner than {@code totalMs} from now. No gap is
   * longer than totalMs / steps, so a client's idle timeout does not notice; only a deadline on the
   * whole exchange does.
   */
  static void trickle(Vertx vertx, HttpServerResponse response, String body, long totalMs) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    int steps = (bytes.length + TRICKLE_BYTES - 1) / TRICKLE_BYTES;
    long interval = Math.max(1, (totalMs + steps - 1) / steps);
    response.setStatusCode(200).setChunked(true).putHeader(HttpHeaders.CONTENT_TYPE, BuyerServer.JSON);
    response.writeHead();
    int[] step = {0};
    vertx.setPeriodic(interval, timer -> {
      if (response.closed()) {
        vertx.cancelTimer(timer);
        return;
      }
      int from = step[0]++ * TRICKLE_BYTES;
      Buffer chunk = Buffer.buffer(Arrays.copyOfRange(bytes, from, Math.min(bytes.length, from + TRICKLE_BYTES)));
      if (step[0] >= steps) {
        vertx.cancelTimer(timer);
        response.end(chunk);
      } else {
        response.write(chunk);
      }
    });
  }

  /**
   * Streams a 200 JSON body of exactly {@code totalBytes}: {@code prefix}, then filler, then
   * {@code "}}. Writes only while the connection's write queue has room, and resumes on drain, so
   * an 8 MiB answer costs 64 KiB of memory, not 8 MiB; stops when the client goes away.
   */
  static void oversized(HttpServerResponse response, String prefix, long totalBytes) {
    response.setStatusCode(200).setChunked(true).putHeader(HttpHeaders.CONTENT_TYPE, BuyerServer.JSON);
    response.exceptionHandler(e -> { });
    String suffix = "\"}";
    response.write(prefix);
    new Filler(response, totalBytes - prefix.length() - suffix.length(), suffix).pump();
  }

  private static final class Filler {
    private final HttpServerResponse response;
    private final String suffix;
    private long remaining;

    Filler(HttpServerResponse response, long remaining, String suffix) {
      this.response = response;
      this.remaining = remaining;
      this.suffix = suffix;
    }

    void pump() {
      while (remaining > 0 && !response.closed() && !response.writeQueueFull()) {
        int n = (int) Math.min(remaining, FILLER_BYTES);
        response.write(n == FILLER_BYTES ? FILLER : FILLER.slice(0, n));
        remaining -= n;
      }
      if (response.closed()) {
        return;
      }
      if (remaining > 0) {
        response.drainHandler(v -> pump());
      } else {
        response.end(suffix);
      }
    }
  }

  /**
   * Closes the request's connection abruptly. With SO_LINGER 0 the close sends a TCP RST, which the
   * client sees as "connection reset" rather than an orderly end of stream. Setting it needs Vert.x's
   * internal connection class; if that ever changes, a plain close is still a failed request.
   */
  static void reset(HttpServerRequest request) {
    HttpConnection connection = request.connection();
    if (connection instanceof ConnectionBase base) {
      try {
        base.channel().config().setOption(ChannelOption.SO_LINGER, 0);
      } catch (RuntimeException ignored) {
        // a plain close below still fails the request
      }
    }
    connection.close();
  }
}
