package org.leadex.exchange.leads;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Optional;

/**
 * A lead's phone and e-mail, normalised and hashed for dedupe: phones to E.164 (US when no country
 * code is given), e-mails trimmed and lower-cased, each then SHA-256. Pure; thread safe.
 */
public record Contacts(Optional<byte[]> phone, Optional<byte[]> email) {
  private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
  /** No phone, no e-mail: a ping that carried no hashes. */
  public static final Contacts NONE = new Contacts(Optional.empty(), Optional.empty());

  public static Contacts of(JsonNode lead) {
    return new Contacts(text(lead, "phone").flatMap(Contacts::e164).map(Contacts::sha256),
        text(lead, "email").map(e -> e.trim().toLowerCase(Locale.ROOT)).filter(e -> !e.isEmpty()).map(Contacts::sha256));
  }

  public boolean isEmpty() {
    return phone.isEmpty() && email.isEmpty();
  }

  /** The phone in E.164 form ({@code +13105550100}), or empty when it is not a phone number. */
  public static Optional<String> e164(String raw) {
    try {
      Phonenumber.PhoneNumber number = PHONES.parse(raw, "US");
      return Optional.of(PHONES.format(number, PhoneNumberUtil.PhoneNumberFormat.E164));
    } catch (NumberParseException e) {
      return Optional.empty();
    }
  }

  private static Optional<String> text(JsonNode lead, String field) {
    JsonNode value = lead.get(field);
    return value == null || value.isNull() ? Optional.empty() : Optional.of(value.asText());
  }

  private static byte[] sha256(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
