package org.leadex.exchange.compliance;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import org.leadex.exchange.api.ApiError;
import org.leadex.exchange.json.DocReader;
import org.leadex.exchange.leads.Contacts;

/**
 * The optional {@code "hashes"} of a ping: the SHA-256 of the lead's E.164 phone and of its trimmed,
 * lower-cased e-mail, as 64 lower-case hex digits. They let dedupe and suppression run at ping time,
 * before the seller has sent any PII; the post then proves them by its PII. Pure.
 */
public final class ContactHashes {
  private static final HexFormat HEX = HexFormat.of();

  private ContactHashes() {}

  /** The ping's hashes, {@link Contacts#NONE} without any; 400 validation_failed when malformed. */
  public static Contacts read(DocReader body) {
    Optional<DocReader> hashes = body.optObject("hashes");
    if (hashes.isEmpty()) {
      return Contacts.NONE;
    }
    DocReader doc = hashes.get();
    Optional<byte[]> phone = doc.optString("phone", 64).map(h -> digest(h, doc.path("phone")));
    Optional<byte[]> email = doc.optString("email", 64).map(h -> digest(h, doc.path("email")));
    doc.done();
    return new Contacts(phone, email);
  }

  /**
   * Checks the post's PII against the ping's hashes: each hash given must be the hash of the post's
   * (normalised) value. A post without the phone or e-mail its ping hashed does not match either.
   */
  public static void verify(Contacts pinged, JsonNode fullLead) {
    Contacts posted = Contacts.of(fullLead);
    if (pinged.phone().isPresent() && !same(pinged.phone(), posted.phone())) {
      throw ApiError.leadMismatch("lead.phone", "lead.phone does not match the phone hash sent with the ping");
    }
    if (pinged.email().isPresent() && !same(pinged.email(), posted.email())) {
      throw ApiError.leadMismatch("lead.email", "lead.email does not match the e-mail hash sent with the ping");
    }
  }

  private static boolean same(Optional<byte[]> a, Optional<byte[]> b) {
    return a.isPresent() && b.isPresent() && Arrays.equals(a.get(), b.get());
  }

  private static byte[] digest(String hex, String path) {
    if (!isDigest(hex)) {
      throw ApiError.validation(path, path + " must be a SHA-256 digest: 64 lower-case hex digits");
    }
    return HEX.parseHex(hex);
  }

  static boolean isDigest(String hex) {
    if (hex.length() != 64) {
      return false;
    }
    for (int i = 0; i < 64; i++) {
      char c = hex.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return true;
  }

  /** The first 8 bytes of a hash, big-endian: how suppression lists and buyer dedupe key a contact. */
  public static long prefix(byte[] hash) {
    long value = 0;
    for (int i = 0; i < 8; i++) {
      value = value << 8 | (hash[i] & 0xff);
    }
    return value;
  }
}
