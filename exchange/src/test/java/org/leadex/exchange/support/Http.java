package org.leadex.exchange.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.leadex.exchange.json.Json;

/** A plain blocking HTTP client for tests (test threads may block; event loops never do). */
public final class Http {
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
      .version(HttpClient.Version.HTTP_1_1).build();

  /** A response: status, raw body, and the body as JSON when it is JSON. */
  public record Reply(int status, String body, java.net.http.HttpHeaders headers, long millis) {
    public JsonNode json() {
      return Json.parse(body);
    }

    public String text(String field) {
      JsonNode value = json().get(field);
      return value == null || value.isNull() ? null : value.asText();
    }
  }

  private Http() {}

  public static Reply send(String method, String url, String key, String body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .header("content-type", "application/json");
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    return send(request.build());
  }

  public static Reply sendBytes(String url, String key, byte[] body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).header("content-type", "application/json");
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    return send(request.build());
  }

  private static Reply send(HttpRequest request) {
    long start = System.nanoTime();
    try {
      HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
      return new Reply(response.statusCode(), response.body(), response.headers(), (System.nanoTime() - start) / 1_000_000);
    } catch (IOException e) {
      throw new IllegalStateException(request.method() + " " + request.uri() + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static String json(Object... keyValues) {
    ObjectNode node = Json.object();
    for (int i = 0; i < keyValues.length; i += 2) {
      node.set((String) keyValues[i], Json.MAPPER.valueToTree(keyValues[i + 1]));
    }
    return Json.text(node);
  }

  /** The fields of an {@code application/x-www-form-urlencoded} body, decoded (a field without {@code =} is empty). */
  public static java.util.Map<String, String> formFields(String body) {
    java.util.Map<String, String> out = new java.util.HashMap<>();
    for (String pair : body.split("&")) {
      String[] kv = pair.split("=", 2);
      out.put(java.net.URLDecoder.decode(kv[0], java.nio.charset.StandardCharsets.UTF_8),
          kv.length < 2 ? "" : java.net.URLDecoder.decode(kv[1], java.nio.charset.StandardCharsets.UTF_8));
    }
    return out;
  }
}
