package org.leadex.loadtest;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.leadex.loadtest.support.Generate;

class SelfWarmupTest {
  @Test
  void sendsTheRunsTrafficToAStubOfItsOwnAndNothingToTheTarget() throws Exception {
    // The target's port refuses connections: had one request gone there, it would not have been answered.
    long sent = SelfWarmup.run(Generate.settings("http://127.0.0.1:1", 20, 0.5, 150), 200, Duration.ofSeconds(1));
    assertTrue(sent >= 150 && sent <= 220, "about one second of pings at 200/s, answered by the stub: " + sent);
  }
}
