package org.leadex.exchange.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import org.leadex.exchange.json.Json;

/** Request bodies: size limits (413 before the body is read when Content-Length says so) and JSON parsing. */
public final class Bodies {
  static final String LIMIT_KEY = "body-limit";
  public static final long DEFAULT_LIMIT = 1024 * 1024;
  public static final long PING_LIMIT = 64 * 1024;

  private Bodies() {}

  /** A body handler with the given limit, remembering the limit for the 413 message. */
  public static Handler<RoutingContext> limit(long bytes) {
    BodyHandler handler = BodyHandler.create(false).setBodyLimit(bytes);
    return ctx -> {
      ctx.put(LIMIT_KEY, bytes);
      handler.handle(ctx);
    };
  }

  /** The body as a JSON object, or the contract's invalid_json / validation_failed error. */
  public static ObjectNode object(RoutingContext ctx) {
    Buffer body = ctx.body().buffer();
    if (body == null || body.length() == 0) {
      throw ApiError.invalidJson("the request body is empty; a JSON object is expected");
    }
    JsonNode node;
    try {
      node = Json.parse(body.getBytes());
    } catch (IOException e) {
      throw ApiError.invalidJson("the request body is not valid JSON");
    }
    if (!node.isObject()) {
      throw ApiError.validation(null, "the request body must be a JSON object");
    }
    String unstorable = unstorableText(node, "");
    if (unstorable != null) {
      throw ApiError.validation(unstorable.isEmpty() ? null : unstorable, (unstorable.isEmpty() ? "a field name"
          : unstorable) + " contains a NUL character or an unpaired surrogate, which cannot be stored");
    }
    return (ObjectNode) node;
  }

  /**
   * The path of the first string (value or field name) that PostgreSQL cannot store, or null. JSON
   * allows "\u0000" and lone surrogates; text and jsonb columns refuse the first and mangle the
   * second, and one such ping in a write batch would fail the whole batch. Refused at the edge.
   */
  private static String unstorableText(JsonNode node, String path) {
    if (node.isTextual()) {
      return storable(node.textValue()) ? null : path;
    }
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        String bad = unstorableText(node.get(i), path + "[" + i + "]");
        if (bad != null) {
          return bad;
        }
      }
    } else if (node.isObject()) {
      for (var it = node.fields(); it.hasNext(); ) {
        var field = it.next();
        if (!storable(field.getKey())) {
          return path; // the name itself is bad: name the object holding it
        }
        String bad = unstorableText(field.getValue(), path.isEmpty() ? field.getKey() : path + "." + field.getKey());
        if (bad != null) {
          return bad;
        }
      }
    }
    return null;
  }

  private static boolean storable(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == 0) {
        return false;
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  public static void json(RoutingContext ctx, int status, JsonNode body) {
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
        .end(Buffer.buffer(Json.bytes(body)));
  }
}
