package org.leadex.exchange.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 over a plain socket, for what a normal client will not send: oversized request lines
 * and headers, or a request from a chosen local address (127.0.0.2 is loopback too on Linux).
 * One request per connection ({@code Connection: close}); blocking, for tests.
 */
public final class RawHttp {
  private RawHttp() {}

  public record Reply(int status, String head, String body) {}

  /** Sends {@code request} (the whole request text, CRLFs included) and reads until the server closes. */
  public static Reply send(String localAddress, int port, String request) {
    try (Socket socket = new Socket()) {
      if (localAddress != null) {
        socket.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
      }
      socket.setSoTimeout(30_000);
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
      try {
        socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
      } catch (IOException e) {
        // the server may answer and close before taking all of an oversized request: read what it said
      }
      String text = readAll(socket.getInputStream());
      int split = text.indexOf("\r\n\r\n");
      String head = split < 0 ? text : text.substring(0, split);
      String body = split < 0 ? "" : text.substring(split + 4);
      String[] statusLine = head.split(" ", 3);
      int status = statusLine.length > 1 && statusLine[1].matches("\\d{3}") ? Integer.parseInt(statusLine[1]) : -1;
      return new Reply(status, head, body);
    } catch (IOException e) {
      throw new IllegalStateException("raw request to port " + port + " failed: " + e, e);
    }
  }

  /** A POST with a JSON body and a bearer key, from {@code localAddress}. */
  public static Reply post(String localAddress, int port, String path, String key, String json) {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    return send(localAddress, port, "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        + "Content-Type: application/json\r\nAuthorization: Bearer " + key + "\r\nContent-Length: " + body.length
        + "\r\n\r\n" + json);
  }

  private static String readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      for (int n; (n = in.read(buffer)) > 0; ) {
        out.write(buffer, 0, n);
      }
    } catch (java.net.SocketException e) {
      // a reset after the answer: keep what arrived
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
