package org.leadex.loadtest.traffic;

/** The three seller calls the generator makes, each measured on its own. */
public enum Operation {
  /** {@code POST /v1/ping}: a non-PII preview, answered with a bid or no bid. */
  PING("ping", "/v1/ping"),
  /** {@code POST /v1/post}: the full lead for a ping that got a bid. */
  POST("post", "/v1/post"),
  /** {@code POST /v1/leads}: ping and post in one call. */
  DIRECT("direct", "/v1/leads");

  private final String label;
  private final String path;

  Operation(String label, String path) {
    this.label = label;
    this.path = path;
  }

  public String label() {
    return label;
  }

  public String path() {
    return path;
  }
}
