package org.leadex.exchange.catalog;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.leadex.exchange.api.ApiError;
import org.leadex.exchange.json.DocReader;

/**
 * The addresses a seller's or buyer's keys may be used from: IPv4 or IPv6 addresses and CIDR
 * ranges ({@code "10.0.0.0/8"}, {@code "127.0.0.1"}, {@code "2001:db8::/32"}). {@link #ANY} when the
 * document has no {@code allowed_ips}. Immutable, thread safe.
 */
public final class AddressAllowList {
  public static final AddressAllowList ANY = new AddressAllowList(List.of(), List.of());

  private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
  // Only hex digits, colons and dots: InetAddress then parses a literal and never asks DNS.
  private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]{2,45}");
  private static final int MAX_ENTRIES = 100;

  private final List<byte[]> networks;
  private final List<Integer> prefixes;

  private AddressAllowList(List<byte[]> networks, List<Integer> prefixes) {
    this.networks = networks;
    this.prefixes = prefixes;
  }

  public boolean any() {
    return networks.isEmpty();
  }

  /** Whether a peer address (as Vert.x gives it: a literal) may use the key. */
  public boolean permits(String peerAddress) {
    if (any()) {
      return true;
    }
    byte[] peer = literal(peerAddress);
    if (peer == null) {
      return false;
    }
    for (int i = 0; i < networks.size(); i++) {
      if (contains(networks.get(i), prefixes.get(i), peer)) {
        return true;
      }
    }
    return false;
  }

  private static boolean contains(byte[] network, int prefix, byte[] peer) {
    if (network.length != peer.length) {
      return false;
    }
    int whole = prefix / 8;
    for (int i = 0; i < whole; i++) {
      if (network[i] != peer[i]) {
        return false;
      }
    }
    int rest = prefix % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xff << (8 - rest)) & 0xff;
    return (network[whole] & mask) == (peer[whole] & mask);
  }

  /** The {@code allowed_ips} field of a seller or buyer document. */
  public static AddressAllowList read(DocReader doc, String field) {
    if (!doc.has(field)) {
      doc.raw(field);
      return ANY;
    }
    List<byte[]> networks = new ArrayList<>();
    List<Integer> prefixes = new ArrayList<>();
    doc.list(field, MAX_ENTRIES, e -> {
      String text = e.string(64);
      int slash = text.indexOf('/');
      byte[] address = literal(slash < 0 ? text : text.substring(0, slash));
      if (address == null) {
        throw ApiError.validation(e.path(), e.path() + " must be an IP address or a CIDR range such as 10.0.0.0/8");
      }
      int bits = address.length * 8;
      int prefix = bits;
      if (slash >= 0) {
        String digits = text.substring(slash + 1);
        if (!digits.matches("\\d{1,3}") || Integer.parseInt(digits) > bits) {
          throw ApiError.validation(e.path(), e.path() + " has a prefix length outside 0.." + bits);
        }
        prefix = Integer.parseInt(digits);
      }
      networks.add(address);
      prefixes.add(prefix);
      return text;
    });
    if (networks.isEmpty()) {
      throw ApiError.validation(doc.path(field), doc.path(field) + " must list at least one address; leave it out to allow any");
    }
    return new AddressAllowList(List.copyOf(networks), List.copyOf(prefixes));
  }

  /** The bytes of an IP literal (an IPv4-mapped IPv6 address as IPv4), or null for anything else. */
  static byte[] literal(String text) {
    if (text == null) {
      return null;
    }
    var v4 = IPV4.matcher(text);
    if (v4.matches()) {
      byte[] out = new byte[4];
      for (int i = 0; i < 4; i++) {
        int octet = Integer.parseInt(v4.group(i + 1));
        if (octet > 255) {
          return null;
        }
        out[i] = (byte) octet;
      }
      return out;
    }
    if (text.indexOf(':') < 0 || !IPV6.matcher(text).matches()) {
      return null;
    }
    try {
      return InetAddress.getByName(text).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
