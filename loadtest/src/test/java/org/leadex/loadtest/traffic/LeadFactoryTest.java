package org.leadex.loadtest.traffic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LeadFactoryTest {
  private final LeadProfile profile = new LeadProfile(LeadProfile.parseStates("CA:3,NV"), 25, 64,
      List.of("902", "8"), LeadProfile.parseFields(List.of("homeowner=true", "vehicles=2")), 1234);

  @Test
  void theSameSeedAndIndexGiveTheSameLead() {
    assertEquals(new LeadFactory(profile, 42).lead(17), new LeadFactory(profile, 42).lead(17));
    assertNotEquals(new LeadFactory(profile, 42).lead(17), new LeadFactory(profile, 43).lead(17));
  }

  @Test
  void leadsFollowTheDistributions() {
    LeadFactory factory = new LeadFactory(profile, 42);
    Map<Object, Integer> states = new HashMap<>();
    for (int i = 0; i < 4000; i++) {
      Lead lead = factory.lead(i);
      int age = (Integer) lead.nonPii().get("age");
      assertTrue(age >= 25 && age <= 64, "age " + age);
      String zip = (String) lead.nonPii().get("zip");
      assertTrue(zip.matches("(902[0-9]{2}|8[0-9]{4})"), zip);
      assertEquals(true, lead.nonPii().get("homeowner"));
      assertEquals(2L, lead.nonPii().get("vehicles"));
      states.merge(lead.nonPii().get("state"), 1, Integer::sum);
    }
    assertEquals(Set.of("CA", "NV"), states.keySet());
    double caShare = states.get("CA") / 4000.0;
    assertTrue(caShare > 0.70 && caShare < 0.80, "CA weighted 3:1, share " + caShare);
  }

  @Test
  void piiIsUniqueWithinARunAndStaysOutOfTheNonPiiFields() {
    LeadFactory factory = new LeadFactory(profile, 42);
    Set<Object> phones = new HashSet<>();
    Set<Object> emails = new HashSet<>();
    for (int i = 0; i < 20_000; i++) {
      Lead lead = factory.lead(i);
      assertTrue(phones.add(lead.pii().get("phone")));
      assertTrue(emails.add(lead.pii().get("email")));
      assertTrue(((String) lead.pii().get("phone")).matches("\\+1[2-9][0-9]{2}[2-9][0-9]{6}"));
      assertTrue(lead.nonPii().keySet().stream().noneMatch(lead.pii()::containsKey));
    }
    LeadProfile otherRun = new LeadProfile(profile.states(), 25, 64, profile.zipPrefixes(),
        profile.extraFields(), 1235);
    assertNotEquals(factory.lead(0).pii().get("phone"),
        new LeadFactory(otherRun, 42).lead(0).pii().get("phone"), "another run, other phones");
  }

  @Test
  void badProfilesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new LeadProfile(
        LeadProfile.parseStates("CA"), 60, 20, List.of(), Map.of(), 1));
    assertThrows(IllegalArgumentException.class, () -> new LeadProfile(
        LeadProfile.parseStates("CA"), 20, 60, List.of("9x"), Map.of(), 1));
    assertThrows(IllegalArgumentException.class, () -> LeadProfile.parseFields(List.of("novalue")));
  }

  @Test
  void theMixFollowsItsRatios() {
    TrafficMix mix = new TrafficMix(0.25, 0.5, 9);
    int direct = 0;
    int posted = 0;
    for (int i = 0; i < 10_000; i++) {
      direct += mix.arrivalKind(i) == Operation.DIRECT ? 1 : 0;
      posted += mix.postFollowsBid(i) ? 1 : 0;
    }
    assertTrue(direct > 2300 && direct < 2700, "direct " + direct);
    assertTrue(posted > 4700 && posted < 5300, "posted " + posted);
    assertEquals(Operation.PING, new TrafficMix(0, 1, 9).arrivalKind(5));
  }
}
