package org.leadex.loadtest.measure;

/**
 * How one request ended, as counted in the report.
 *
 * @param key the counter it adds to: {@code bid}, {@code no_bid}, {@code sold}, {@code unsold},
 *     {@code timeout}, {@code connection_error}, {@code bad_answer} or
 *     {@code http_<status>[:<code>]}
 * @param error whether it counts toward the error rate
 * @param reason for {@code unsold}: the exchange's reason (counted separately)
 */
public record Outcome(String key, boolean error, String reason) {
  public static final Outcome BID = new Outcome("bid", false, null);
  public static final Outcome NO_BID = new Outcome("no_bid", false, null);
  public static final Outcome SOLD = new Outcome("sold", false, null);
  /** No answer within the generator's timeout; recorded at the timeout, a lower bound. */
  public static final Outcome TIMEOUT = new Outcome("timeout", true, null);
  /** Refused, reset or closed before an answer came. */
  public static final Outcome CONNECTION_ERROR = new Outcome("connection_error", true, null);
  /** A 2xx answer the contract does not allow (not JSON, unknown status, bid without ping_id). */
  public static final Outcome BAD_ANSWER = new Outcome("bad_answer", true, null);

  public static Outcome unsold(String reason) {
    return new Outcome("unsold", false, reason == null ? "unknown" : reason);
  }

  /** The key of a ping shed by admission control: the contract's 503 {@code overloaded}. */
  public static final String SHED_KEY = "http_503:overloaded";

  /** A real decision: bid, no_bid, sold or unsold (every outcome that is not an error). */
  public boolean decision() {
    return !error;
  }

  /** Refused at the door with 503 {@code overloaded}: shed by the server's admission control. */
  public boolean shed() {
    return SHED_KEY.equals(key);
  }

  /** A non-2xx answer, keyed by status and the contract's error code when the body has one. */
  public static Outcome http(int status, String errorCode) {
    return new Outcome("http_" + status + (errorCode == null ? "" : ":" + errorCode), true, null);
  }
}
