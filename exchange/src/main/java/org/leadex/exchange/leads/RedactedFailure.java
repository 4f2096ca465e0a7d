package org.leadex.exchange.leads;

import io.vertx.pgclient.PgException;

/**
 * A failure made safe to log: the same exception classes and stack traces, without messages.
 * Messages can echo values that were being handled (PostgreSQL's "invalid input syntax ...: "…"",
 * a trigger's text, a parser's snippet of its input), and a lead's PII must never reach a log. What
 * stays is what an operator needs to find the cause: the class, where it was thrown, and for
 * PostgreSQL the SQLSTATE, severity, table, column and constraint, which name things, never values.
 * Pure.
 */
public final class RedactedFailure extends RuntimeException {

  private RedactedFailure(String description, Throwable original, RedactedFailure cause) {
    super(description, cause, false, true);
    setStackTrace(original.getStackTrace());
  }

  /** The failure and its causes, messages removed. */
  public static RedactedFailure of(Throwable failure) {
    return of(failure, 0);
  }

  private static RedactedFailure of(Throwable failure, int depth) {
    Throwable cause = failure.getCause();
    RedactedFailure redactedCause = cause == null || cause == failure || depth >= 10 ? null : of(cause, depth + 1);
    return new RedactedFailure(describe(failure), failure, redactedCause);
  }

  private static String describe(Throwable failure) {
    StringBuilder out = new StringBuilder(failure.getClass().getName());
    if (failure instanceof PgException pg) {
      out.append(" sqlstate=").append(pg.getSqlState());
      append(out, "severity", pg.getSeverity());
      append(out, "table", pg.getTable());
      append(out, "column", pg.getColumn());
      append(out, "constraint", pg.getConstraint());
    }
    out.append(" (message withheld: it may carry lead data)");
    return out.toString();
  }

  private static void append(StringBuilder out, String name, String value) {
    if (value != null) {
      out.append(' ').append(name).append('=').append(value);
    }
  }

  @Override
  public String toString() {
    // Throwable's toString would prefix this class's name to the original's.
    return getMessage();
  }
}
