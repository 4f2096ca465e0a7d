package org.leadex.exchange.ledger;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ping and lead ids: UUIDv7 (RFC 9562), a 48-bit millisecond timestamp followed by random bits.
 * Time-ordered ids keep the pings' index and the bids' BRIN index compact, and let the exchange
 * find a ping's day partition from its id alone. Thread safe.
 */
public final class RecordIds {
  private RecordIds() {}

  public static UUID newId(long epochMillis) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long msb = (epochMillis << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
    long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb);
  }

  /** The id's timestamp, when the string is a UUIDv7. */
  public static Optional<Instant> timeOf(UUID id) {
    if (id.version() != 7) {
      return Optional.empty();
    }
    return Optional.of(Instant.ofEpochMilli(id.getMostSignificantBits() >>> 16));
  }

  /** Parses a ping or lead id as given by a client; empty when it is not one of ours. */
  public static Optional<UUID> parse(String text) {
    if (text == null || text.length() != 36) {
      return Optional.empty();
    }
    try {
      UUID id = UUID.fromString(text);
      return id.version() == 7 ? Optional.of(id) : Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
