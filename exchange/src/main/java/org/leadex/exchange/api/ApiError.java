package org.leadex.exchange.api;

/**
 * A request the exchange refuses, as the contract's JSON error: status, code, message and, when one
 * field is at fault, its JSON path. Thrown anywhere below the HTTP edge; turned into a response in
 * exactly one place ({@link ErrorResponses}).
 */
public final class ApiError extends RuntimeException {
  private final int status;
  private final String code;
  private final String field;
  private final Integer retryAfterSeconds;

  private ApiError(int status, String code, String message, String field, Integer retryAfterSeconds) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.field = field;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public static ApiError invalidJson(String message) {
    return new ApiError(400, "invalid_json", message, null, null);
  }

  public static ApiError validation(String field, String message) {
    return new ApiError(400, "validation_failed", message, field, null);
  }

  public static ApiError unauthorized(String message) {
    return new ApiError(401, "unauthorized", message, null, null);
  }

  public static ApiError forbidden(String message) {
    return new ApiError(403, "forbidden", message, null, null);
  }

  public static ApiError notFound(String message) {
    return new ApiError(404, "not_found", message, null, null);
  }

  public static ApiError unknownCampaign(String campaign) {
    return new ApiError(404, "unknown_campaign", "no campaign '" + campaign + "'", "campaign", null);
  }

  public static ApiError conflict(String message) {
    return new ApiError(409, "conflict", message, null, null);
  }

  public static ApiError pingExpired(String message) {
    return new ApiError(410, "ping_expired", message, "ping_id", null);
  }

  public static ApiError payloadTooLarge(long limit) {
    return new ApiError(413, "payload_too_large", "the request body is larger than " + limit + " bytes", null, null);
  }

  public static ApiError leadMismatch(String field, String message) {
    return new ApiError(422, "lead_mismatch", message, field, null);
  }

  /** 422 for a return the policy refuses: {@code return_window_closed}, {@code return_reason_invalid}, {@code return_limit}. */
  public static ApiError returnRefused(String code, String message, String field) {
    return new ApiError(422, code, message, field, null);
  }

  public static ApiError rateLimited(int retryAfterSeconds) {
    return new ApiError(429, "rate_limited", "too many requests for this seller's rate limit; retry after "
        + retryAfterSeconds + " s", null, retryAfterSeconds);
  }

  public static ApiError overloaded(int retryAfterSeconds) {
    return new ApiError(503, "overloaded", "the exchange is over capacity; retry shortly", null, retryAfterSeconds);
  }

  /** 503 while the database is unreachable: nothing was decided, or the outcome is not recorded yet; repeat the request. */
  public static ApiError unavailable(String message) {
    return new ApiError(503, "unavailable", message, null, 1);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public String field() {
    return field;
  }

  public Integer retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
