package org.leadex.exchange.catalog;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Issues API keys and hashes them. A key is 256 random bits, shown once; only its SHA-256 is
 * stored. Thread safe.
 */
public final class ApiKeys {
  private static final SecureRandom RANDOM = new SecureRandom();

  private ApiKeys() {}

  public static String newKey() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return "lx_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  public static String newKeyId() {
    byte[] bytes = new byte[8];
    RANDOM.nextBytes(bytes);
    return "key_" + HexFormat.of().formatHex(bytes);
  }

  /** Whether text has the form of a key id ({@code key_} and 16 hex digits). */
  public static boolean validKeyId(String text) {
    return text != null && text.length() == 20 && text.startsWith("key_")
        && text.chars().skip(4).allMatch(c -> c >= '0' && c <= '9' || c >= 'a' && c <= 'f');
  }

  public static byte[] hash(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String hashHex(String key) {
    return HexFormat.of().formatHex(hash(key));
  }
}
