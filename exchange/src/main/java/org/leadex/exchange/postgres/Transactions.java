package org.leadex.exchange.postgres;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.TransactionRollbackException;
import java.util.function.Function;

/**
 * Transactions for the post path, where every round trip counts: {@link Pool#withTransaction} waits
 * for BEGIN's answer before it runs the work, a round trip of its own; here BEGIN goes out with the
 * work's first statements (the connection pipelines them in order). Otherwise the same: the work's
 * statements in one transaction, committed when its future succeeds, rolled back when it (or BEGIN)
 * fails, the connection back to the pool either way.
 */
public final class Transactions {
  private Transactions() {}

  public static <T> Future<T> run(Pool pool, Function<SqlConnection, Future<T>> work) {
    return pool.getConnection().compose(conn -> {
      Future<Transaction> begun = conn.begin();
      Transaction tx = conn.transaction();
      Future<T> done;
      try {
        done = work.apply(conn);
      } catch (RuntimeException e) {
        done = Future.failedFuture(e);
      }
      Future<T> result = done;
      return Future.all(begun, result)
          .transform(ar -> {
            if (ar.succeeded()) {
              return tx.commit().map(v -> result.result());
            }
            Throwable cause = ar.cause();
            if (cause instanceof TransactionRollbackException) {
              return Future.<T>failedFuture(cause);
            }
            // the rollback waits for statements still out; the work's failure is what is told
            return tx.rollback().transform(r -> Future.<T>failedFuture(cause));
          })
          .onComplete(ar -> conn.close());
    });
  }
}
