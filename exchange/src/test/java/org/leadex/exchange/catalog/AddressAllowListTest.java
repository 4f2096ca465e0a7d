package org.leadex.exchange.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.leadex.exchange.api.ApiError;
import org.leadex.exchange.json.DocReader;
import org.leadex.exchange.json.Json;

/** allowed_ips: addresses and CIDR ranges, IPv4 and IPv6, strictly read. */
class AddressAllowListTest {

  private static AddressAllowList read(String json) {
    DocReader doc = DocReader.of(Json.parse(json), "");
    AddressAllowList list = AddressAllowList.read(doc, "allowed_ips");
    doc.done();
    return list;
  }

  @Test
  void rangesAndSingleAddressesMatchWhatTheySay() {
    AddressAllowList list = read("{\"allowed_ips\":[\"10.0.0.0/8\",\"127.0.0.1\",\"192.168.4.0/23\",\"2001:db8::/32\"]}");
    assertTrue(list.permits("10.200.3.4"));
    assertTrue(list.permits("127.0.0.1"));
    assertFalse(list.permits("127.0.0.2"));
    assertTrue(list.permits("192.168.5.255"));
    assertFalse(list.permits("192.168.6.0"));
    assertFalse(list.permits("11.0.0.1"));
    assertTrue(list.permits("2001:db8:0:0:0:0:0:1"));
    assertFalse(list.permits("2001:db9::1"));
    assertTrue(list.permits("::ffff:10.1.2.3"), "an IPv4-mapped IPv6 peer is its IPv4 address");
    assertFalse(list.permits("localhost"), "names are never resolved");
    assertFalse(list.permits(null));
    assertTrue(read("{\"allowed_ips\":[\"0.0.0.0/0\"]}").permits("203.0.113.9"));
  }

  @Test
  void absentMeansAnyAndEveryBadEntryIsNamed() {
    assertTrue(read("{}").any());
    assertTrue(read("{\"allowed_ips\":null}").permits("203.0.113.9"));
    assertEquals("allowed_ips[1]", bad("{\"allowed_ips\":[\"10.0.0.1\",\"example.com\"]}"));
    assertEquals("allowed_ips[0]", bad("{\"allowed_ips\":[\"10.0.0.0/33\"]}"));
    assertEquals("allowed_ips[0]", bad("{\"allowed_ips\":[\"256.0.0.1\"]}"));
    assertEquals("allowed_ips[0]", bad("{\"allowed_ips\":[\"::1/129\"]}"));
    assertEquals("allowed_ips[0]", bad("{\"allowed_ips\":[7]}"));
    assertEquals("allowed_ips", bad("{\"allowed_ips\":[]}"));
    assertEquals("allowed_ips", bad("{\"allowed_ips\":\"10.0.0.1\"}"));
  }

  private static String bad(String json) {
    return assertThrows(ApiError.class, () -> read(json)).field();
  }
}
