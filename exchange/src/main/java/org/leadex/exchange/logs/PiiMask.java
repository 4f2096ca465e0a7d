package org.leadex.exchange.logs;

import java.util.regex.Pattern;

/**
 * Masks what looks like an e-mail address or a phone number in a log line. The exchange never
 * logs a lead's PII on purpose; this catches what arrives by accident, such as a buyer's rejection
 * reason quoting the lead ("duplicate of ana@example.com"). Pure; thread safe.
 */
public final class PiiMask {
  private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}");
  /** E.164 (+13105550100) and North American forms (310-555-0100, (310) 555 0100, 310.555.0100). */
  private static final Pattern PHONE = Pattern.compile(
      "\\+[1-9]\\d{7,14}\\b|\\(?\\b\\d{3}\\)?[ .-]\\d{3}[ .-]\\d{4}\\b|(?<![\\w-])\\d{10,11}(?![\\w-])");

  private PiiMask() {}

  public static String mask(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String masked = EMAIL.matcher(text).replaceAll("[email]");
    return PHONE.matcher(masked).replaceAll("[phone]");
  }
}
