package org.leadex.exchange.compliance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The in-memory list and the streaming parser that feeds it. */
class SuppressionListTest {

  @Test
  void aListHoldsWhatWasListedAndNothingElse() {
    SplittableRandom random = new SplittableRandom(11);
    long[] listed = new long[100_000];
    Set<Long> set = new HashSet<>();
    for (int i = 0; i < listed.length; i++) {
      listed[i] = i == 0 ? 0 : random.nextLong(); // the prefix 0 is stored as 1, still found
      set.add(listed[i]);
    }
    SuppressionList list = SuppressionList.of(listed, listed.length);
    assertEquals(set.size(), list.size());
    assertEquals(12, list.bytes() / listed.length);
    for (long prefix : listed) {
      assertTrue(list.contains(prefix));
    }
    for (int i = 0; i < 100_000; i++) {
      long other = random.nextLong();
      assertEquals(set.contains(other), list.contains(other));
    }
    assertFalse(SuppressionList.EMPTY.contains(5));
  }

  @Test
  void anUploadIsParsedAcrossChunkBoundariesInEitherCaseAndLineEnding() {
    String a = "00000000000000ff" + "0".repeat(48);
    String b = "ABCDEF0123456789" + "f".repeat(48);
    byte[] body = (a + "\r\n\n" + b).getBytes(StandardCharsets.US_ASCII); // no final newline
    SuppressionUpload upload = new SuppressionUpload();
    for (int i = 0; i < body.length; i += 7) {
      upload.feed(Buffer.buffer().appendBytes(body, i, Math.min(7, body.length - i)));
    }
    upload.finish();
    assertNull(upload.error());
    long[] prefixes = upload.sortedPrefixes();
    assertEquals(2, prefixes.length);
    assertEquals(0xabcdef0123456789L, prefixes[0]); // negative as a long: sorted first
    assertEquals(0xffL, prefixes[1]);
  }

  @Test
  void theFirstBadLineIsNamed() {
    String good = "a".repeat(64);
    for (String bad : new String[] {"a".repeat(63), "a".repeat(65), "a".repeat(63) + "g", "a".repeat(300), " " + good}) {
      SuppressionUpload upload = new SuppressionUpload();
      upload.feed(Buffer.buffer(good + "\n" + good + "\n" + bad + "\n" + "zz\n"));
      upload.finish();
      assertEquals("line 3 is not a SHA-256 digest (64 hex digits)", upload.error(), bad);
    }
  }
}
