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
 *
 * <p>The work's future must complete only once every statement it sent has answered, and send
 * nothing after: combine pipelined statements with {@link Future#join}, never {@link Future#all}.
 * {@code all} fails at the first failure while statements are still out; the rollback would then
 * be queued behind them, and a {@code compose} step following one of them would run on the
 * connection after the transaction ended, in autocommit.
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
      return Future.join(begun, result)
          .transform(ar -> {
            if (ar.succeeded()) {
              return tx.commit().map(v -> result.result());
            }
            Throwable cause = ar.cause();
            if (cause instanceof TransactionRollbackException) {
              return Future.<T>failedFuture(cause);
            }
            // every statement has answered (join): roll back, and tell what failed first
            return tx.rollback().transform(r -> Future.<T>failedFuture(cause));
          })
          .onComplete(ar -> conn.close());
    });
  }
}
