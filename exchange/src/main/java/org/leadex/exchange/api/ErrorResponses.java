package org.leadex.exchange.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.leadex.exchange.json.Json;
import org.leadex.exchange.leads.RedactedFailure;

/**
 * The one place where failures become the contract's JSON errors. Every route's failure lands
 * here: an {@link ApiError} as itself, Vert.x Web's own refusals (413 body too large, 405) by
 * their status, and anything unexpected as a logged 500 that reveals nothing inside.
 */
public final class ErrorResponses {
  private static final Logger LOG = Logger.getLogger(ErrorResponses.class.getName());

  private ErrorResponses() {}

  public static void handle(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    ApiError error;
    if (failure instanceof ApiError api) {
      error = api;
    } else if (failure == null && ctx.statusCode() == 413) {
      error = ApiError.payloadTooLarge(ctx.get(Bodies.LIMIT_KEY, 0L));
    } else if (failure == null && ctx.statusCode() == 404) {
      error = ApiError.notFound("no such endpoint: " + ctx.request().method() + " " + ctx.request().path());
    } else if (failure == null && ctx.statusCode() == 405) {
      send(ctx.response(), 405, "method_not_allowed", "this endpoint does not take " + ctx.request().method(), null, null);
      return;
    } else if (ctx.statusCode() == 400) {
      // Vert.x Web's own refusals, with or without an exception: a path with a broken %-escape, say.
      error = ApiError.validation(null, "the request is malformed");
    } else {
      // The path only (never the query), and the failure without its messages: both may carry lead data.
      LOG.log(Level.SEVERE, "internal error on " + ctx.request().method() + " " + ctx.request().path(),
          failure == null ? null : RedactedFailure.of(failure));
      send(ctx.response(), 500, "internal", "the exchange could not handle this request", null, null);
      return;
    }
    send(ctx.response(), error.status(), error.code(), error.getMessage(), error.field(), error.retryAfterSeconds());
  }

  /**
   * A request Vert.x Web refused before any route ran (a path with a broken %-escape, say); the
   * context then carries neither the failure nor the status.
   */
  public static void malformed(RoutingContext ctx) {
    send(ctx.response(), 400, "validation_failed", "the request is malformed", null, null);
  }

  /**
   * Requests the HTTP decoder refused (a request line or headers over the server's limits, a
   * malformed request): the contract's JSON error instead of Vert.x's empty default; the server
   * closes the connection after it.
   */
  public static void invalidRequest(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    if (cause instanceof TooLongHttpLineException) {
      send(request.response(), 414, "uri_too_long", "the request line is longer than the server accepts", null, null);
    } else if (cause instanceof TooLongHttpHeaderException) {
      send(request.response(), 431, "header_too_large", "the request headers are larger than the server accepts",
          null, null);
    } else {
      send(request.response(), 400, "validation_failed", "the HTTP request is malformed", null, null);
    }
  }

  static void send(HttpServerResponse response, int status, String code, String message, String field,
                   Integer retryAfter) {
    if (response.ended() || response.closed()) {
      return;
    }
    ObjectNode body = Json.object();
    body.put("error", code);
    body.put("message", message);
    if (field != null) {
      body.put("field", field);
    }
    if (retryAfter != null) {
      response.putHeader("Retry-After", String.valueOf(retryAfter));
    }
    if (response.headWritten()) {
      response.reset();
      return;
    }
    response.setStatusCode(status).putHeader("content-type", "application/json").end(io.vertx.core.buffer.Buffer.buffer(Json.bytes(body)));
  }
}
