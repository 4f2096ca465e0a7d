package org.leadex.loadtest.traffic;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Builds the lead for an arrival from its index alone. Pure and thread safe: the same seed and
 * index always give the same lead, whichever thread asks.
 *
 * <p>Emails and phones are unique within a run (up to 7.9 million leads) and differ between runs
 * with different run ids; phones are North American numbers with area codes in service.
 */
public final class LeadFactory {
  private static final long LEAD = 3;
  private static final List<String> FIRST_NAMES = List.of("Ana", "Ben", "Cleo", "Dev", "Eli",
      "Fay", "Gus", "Hana", "Ivo", "Jade", "Kai", "Lea", "Milo", "Nia", "Otto", "Pia");
  private static final List<String> LAST_NAMES = List.of("Alvarez", "Brown", "Chen", "Diaz",
      "Evans", "Fischer", "Garcia", "Haddad", "Ito", "Jensen", "Kim", "Lopez", "Moreau",
      "Nakamura");
  private static final List<String> STREETS = List.of("Oak", "Maple", "Pine", "Cedar", "Elm",
      "Sunset", "Lake", "Hill", "Park", "Main");

  /** Area codes in service in the US, so that strict phone validation accepts the numbers. */
  private static final int[] AREA_CODES = {
      201, 202, 203, 205, 206, 207, 208, 209, 210, 212, 213, 214, 215, 216, 217, 218,
      219, 224, 225, 228, 229, 231, 234, 239, 240, 248, 251, 252, 253, 254, 256, 260,
      262, 267, 269, 270, 276, 281, 301, 302, 303, 304, 305, 307, 308, 309, 310, 312,
      313, 314, 315, 316, 317, 318, 319, 320, 321, 323, 325, 330, 334, 336, 337, 339,
      347, 351, 352, 360, 361, 386, 401, 402, 404, 405, 406, 407, 408, 409, 410, 412,
      413, 414, 415, 417, 419, 423, 424, 425, 430, 432, 434, 435, 440, 443, 469, 478,
      479, 480, 484, 501, 502, 503, 504, 505, 507, 508, 509, 510, 512, 513, 515, 516,
      517, 518, 520, 530, 540, 541, 559, 561, 562, 563, 567, 570, 571, 573, 574, 575,
      580, 585, 586, 601, 602, 603, 605, 606, 607, 608, 609, 610, 612, 614, 615, 616,
      617, 618, 619, 620, 623, 626, 630, 631, 636, 641, 646, 650, 651, 660, 661, 662,
      678, 682, 701, 702, 703, 704, 706, 707, 708, 712, 713, 714, 715, 716, 717, 718,
      719, 720, 724, 727, 731, 732, 734, 740, 754, 757, 760, 762, 763, 765, 770, 772,
      773, 774, 775, 781, 785, 786, 801, 802, 803, 804, 805, 806, 808, 810, 812, 813,
      814, 815, 816, 817, 818, 828, 830, 831, 832, 843, 845, 847, 848, 850, 856, 857,
      858, 859, 860, 862, 863, 864, 865, 870, 901, 903, 904, 906, 907, 908, 909, 910,
      912, 913, 914, 915, 916, 917, 918, 919, 920, 925, 928, 931, 936, 937, 940, 941,
      949, 951, 952, 954, 956, 970, 971, 972, 973, 978, 979, 980, 985, 989};
  /** Central-office codes 200..999 without the N11 service codes. */
  private static final int[] EXCHANGES = java.util.stream.IntStream.rangeClosed(200, 999)
      .filter(code -> code % 100 != 11).toArray();

  private final LeadProfile profile;
  private final long seed;
  private final int[] cumulativeWeights;
  private final int totalWeight;

  public LeadFactory(LeadProfile profile, long seed) {
    this.profile = profile;
    this.seed = seed;
    this.cumulativeWeights = new int[profile.states().size()];
    int sum = 0;
    for (int i = 0; i < cumulativeWeights.length; i++) {
      sum += profile.states().get(i).weight();
      cumulativeWeights[i] = sum;
    }
    this.totalWeight = sum;
  }

  public Lead lead(long index) {
    SplittableRandom random = Draws.of(seed, index, LEAD);
    Map<String, Object> nonPii = new LinkedHashMap<>();
    nonPii.put("zip", zip(random));
    nonPii.put("state", state(random));
    nonPii.put("age", random.nextInt(profile.ageMin(), profile.ageMax() + 1));
    nonPii.putAll(profile.extraFields());

    String first = FIRST_NAMES.get(random.nextInt(FIRST_NAMES.size()));
    String last = LAST_NAMES.get(random.nextInt(LAST_NAMES.size()));
    Map<String, Object> pii = new LinkedHashMap<>();
    pii.put("first_name", first);
    pii.put("last_name", last);
    pii.put("email", (first + "." + last).toLowerCase() + ".lt" + profile.runId() + "-" + index
        + "@example.com");
    pii.put("phone", phone(index));
    pii.put("address", (1 + random.nextInt(9_999)) + " "
        + STREETS.get(random.nextInt(STREETS.size())) + " St");
    return new Lead(nonPii, pii);
  }

  private String zip(SplittableRandom random) {
    List<String> prefixes = profile.zipPrefixes();
    if (prefixes.isEmpty()) {
      return String.format("%05d", random.nextInt(501, 99_951));
    }
    StringBuilder zip = new StringBuilder(prefixes.get(random.nextInt(prefixes.size())));
    while (zip.length() < 5) {
      zip.append((char) ('0' + random.nextInt(10)));
    }
    return zip.toString();
  }

  private String state(SplittableRandom random) {
    int draw = random.nextInt(totalWeight);
    for (int i = 0; i < cumulativeWeights.length; i++) {
      if (draw < cumulativeWeights[i]) {
        return profile.states().get(i).code();
      }
    }
    throw new AssertionError("weights cover the draw");
  }

  /**
   * +1 NXX NXX XXXX: the area code and a starting offset from the run id, the rest from the index,
   * so numbers are unique within a run and runs rarely meet.
   */
  private String phone(long index) {
    long runId = profile.runId();
    int area = AREA_CODES[(int) Math.floorMod(runId, (long) AREA_CODES.length)];
    long capacity = EXCHANGES.length * 10_000L;
    long offset = Math.floorMod(
        Math.floorDiv(runId, (long) AREA_CODES.length) * 1_000_003L, capacity);
    long local = Math.floorMod(index + offset, capacity);
    int exchange = EXCHANGES[(int) (local / 10_000)];
    int line = (int) (local % 10_000);
    return String.format("+1%03d%03d%04d", area, exchange, line);
  }
}
