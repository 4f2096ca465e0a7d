package org.leadex.exchange.compliance;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Parses an uploaded suppression list as it streams in, chunk by chunk, never holding the body:
 * each line is one SHA-256 as 64 hex digits (either case; {@code \r\n} or {@code \n}; blank lines
 * are skipped), of which only the first 8 bytes are kept, 8 bytes per line in blocks of 64 Ki. The
 * first bad line is remembered and the rest of the body is only counted, so the answer can name it.
 *
 * <p>Not thread safe: fed from its request's event loop.
 */
public final class SuppressionUpload {
  public static final int MAX_LINES = 10_000_000;
  /** 10 million lines of 64 digits and CRLF, plus room for blank lines. */
  public static final long MAX_BYTES = (long) MAX_LINES * 66 + 1024 * 1024;
  private static final int BLOCK = 1 << 16;

  private final List<long[]> blocks = new ArrayList<>();
  private long[] block = new long[BLOCK];
  private int inBlock;
  private int count;
  private final byte[] line = new byte[66];
  private int lineLength;
  private boolean lineTooLong;
  private long lineNumber;
  private long bytes;
  private String error;

  public void feed(Buffer chunk) {
    bytes += chunk.length();
    int length = chunk.length();
    for (int i = 0; i < length; i++) {
      byte b = chunk.getByte(i);
      if (b == '\n') {
        endLine();
      } else if (lineLength < line.length) {
        line[lineLength++] = b;
      } else {
        lineTooLong = true;
      }
    }
  }

  /** Call at the end of the body: takes a last line without its newline. */
  public void finish() {
    if (lineLength > 0 || lineTooLong) {
      endLine();
    }
  }

  private void endLine() {
    lineNumber++;
    int length = lineLength > 0 && line[lineLength - 1] == '\r' ? lineLength - 1 : lineLength;
    boolean tooLong = lineTooLong;
    lineLength = 0;
    lineTooLong = false;
    if (error != null || (length == 0 && !tooLong)) {
      return;
    }
    if (tooLong || length != 64) {
      error = "line " + lineNumber + " is not a SHA-256 digest (64 hex digits)";
      return;
    }
    long prefix = 0;
    for (int i = 0; i < 64; i++) {
      int digit = Character.digit(line[i], 16);
      if (digit < 0) {
        error = "line " + lineNumber + " is not a SHA-256 digest (64 hex digits)";
        return;
      }
      if (i < 16) {
        prefix = prefix << 4 | digit;
      }
    }
    if (count == MAX_LINES) {
      error = "a suppression list holds at most " + MAX_LINES + " hashes";
      return;
    }
    if (inBlock == BLOCK) {
      blocks.add(block);
      block = new long[BLOCK];
      inBlock = 0;
    }
    block[inBlock++] = prefix;
    count++;
  }

  public long bytes() {
    return bytes;
  }

  /** The first problem found, or null. */
  public String error() {
    return error;
  }

  /**
   * The prefixes, sorted and distinct. Sorting 10 million takes about a second: call it on a worker
   * thread, never an event loop.
   */
  public long[] sortedPrefixes() {
    long[] all = new long[count];
    int at = 0;
    for (long[] full : blocks) {
      System.arraycopy(full, 0, all, at, BLOCK);
      at += BLOCK;
    }
    System.arraycopy(block, 0, all, at, inBlock);
    blocks.clear();
    block = null;
    Arrays.sort(all);
    int distinct = 0;
    for (int i = 0; i < all.length; i++) {
      if (i == 0 || all[i] != all[i - 1]) {
        all[distinct++] = all[i];
      }
    }
    return distinct == all.length ? all : Arrays.copyOf(all, distinct);
  }
}
