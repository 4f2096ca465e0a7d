package org.leadex.exchange.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A stalled event loop shows as lag on that loop, and the lag fades once the loop runs freely again. */
class LoopLagTest {

  private static long onLoop(Context context, java.util.function.LongSupplier read) throws Exception {
    CompletableFuture<Long> value = new CompletableFuture<>();
    context.runOnContext(v -> value.complete(read.getAsLong()));
    return value.get(5, TimeUnit.SECONDS);
  }

  @Test
  void aBlockedLoopIsSeenAsLateThenRecovers() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      LoopLag lag = new LoopLag();
      Context context = vertx.getOrCreateContext();
      CompletableFuture<Void> watching = new CompletableFuture<>();
      context.runOnContext(v -> {
        lag.watchCurrentLoop(vertx);
        watching.complete(null);
      });
      watching.get(5, TimeUnit.SECONDS);
      Thread.sleep(100);
      assertTrue(onLoop(context, lag::currentMillis) < 100, "an idle loop is not late");
      assertEquals(0, lag.currentMillis(), "a thread that is not watched has no lag");

      context.runOnContext(v -> {
        long until = System.nanoTime() + 300_000_000L; // the loop is busy for 300 ms
        while (System.nanoTime() < until) {
          Thread.onSpinWait();
        }
      });
      Thread.sleep(320); // the first tick after the stall records ~300 ms; it halves in ~135 ms
      long late = onLoop(context, lag::currentMillis);
      assertTrue(late >= 150, "lag after a 300 ms stall: " + late);
      assertTrue(lag.maxMillis() >= 100);

      Thread.sleep(800); // eighty free ticks later the figure has decayed (300 x 0.95^80 = 5)
      assertTrue(onLoop(context, lag::currentMillis) < 100);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
