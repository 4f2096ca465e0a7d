package org.leadex.simulator.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import org.leadex.simulator.config.Json;

/**
 * Thread safe. A buyer storm: from the moment it is started, for a set time, a chosen set of buyers
 * stop answering bid requests (they hang, as a buyer whose service is wedged does), and then they
 * answer again as before. It is the load test's way to make the exchange meet many hanging buyers
 * at once (docs/buyer-simulator.md, "Buyer storm").
 *
 * <p>The buyers are chosen by share: the first round(share × N) buyers in configuration order (at
 * least one), so a storm of the same share hits the same buyers on every run, and with several
 * ports it is spread over all of them. A list of ids may be given instead.
 *
 * <p>The state is one immutable {@link Window} behind a volatile field: the control request writes
 * it on one event loop, bid requests on every loop read it without a lock.
 */
public final class Storm {
  /** The longest storm accepted: a forgotten storm must still end by itself. */
  public static final Duration MAX_LENGTH = Duration.ofHours(1);

  private final List<String> buyerIds;
  private final LongSupplier nanoTime;
  private volatile Window window;

  /**
   * One storm: who hangs, and from when to when (monotonic nanoseconds).
   *
   * @param startedAtMs wall-clock start, for people and for lining the storm up with other series
   */
  public record Window(Set<String> buyers, double share, long startNanos, long endNanos,
      long startedAtMs) {
  }

  /** @param buyerIds every buyer of the simulator, in configuration order */
  public Storm(List<String> buyerIds, LongSupplier nanoTime) {
    this.buyerIds = List.copyOf(buyerIds);
    this.nanoTime = nanoTime;
  }

  /** Starts a storm now over the first round(share × N) buyers, replacing any storm running. */
  public Window start(double share, Duration length) {
    if (!(share > 0 && share <= 1)) {
      throw new IllegalArgumentException("share must be in (0, 1], got " + share);
    }
    int count = (int) Math.max(1, Math.round(share * buyerIds.size()));
    return start(buyerIds.subList(0, count), length);
  }

  /** Starts a storm now over these buyers, replacing any storm running. */
  public Window start(List<String> buyers, Duration length) {
    if (length.isNegative() || length.isZero() || length.compareTo(MAX_LENGTH) > 0) {
      throw new IllegalArgumentException("a storm lasts more than 0 s and at most "
          + MAX_LENGTH.toSeconds() + " s, got " + length.toMillis() / 1000.0 + " s");
    }
    if (buyers.isEmpty()) {
      throw new IllegalArgumentException("a storm needs at least one buyer");
    }
    for (String id : buyers) {
      if (!buyerIds.contains(id)) {
        throw new IllegalArgumentException("no simulated buyer '" + id + "'");
      }
    }
    long now = nanoTime.getAsLong();
    Window w = new Window(Set.copyOf(new LinkedHashSet<>(buyers)),
        (double) buyers.size() / buyerIds.size(), now, now + length.toNanos(),
        System.currentTimeMillis());
    window = w;
    return w;
  }

  /** Ends the storm now, if one is running: the buyers answer new requests again. */
  public void stop() {
    window = null;
  }

  /** Whether this buyer is to hang on a bid request arriving now. */
  public boolean hangs(String buyerId) {
    Window w = window;
    if (w == null) {
      return false;
    }
    long now = nanoTime.getAsLong();
    return now >= w.startNanos() && now < w.endNanos() && w.buyers().contains(buyerId);
  }

  /**
   * Reads a control request's body: {@code {"share": 0.5, "seconds": 30}} or
   * {@code {"buyers": ["sim-001", ...], "seconds": 30}}; starts the storm it describes.
   */
  public Window start(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw new IllegalArgumentException("the body must be a JSON object");
    }
    JsonNode seconds = body.get("seconds");
    if (seconds == null || !seconds.isNumber()) {
      throw new IllegalArgumentException("\"seconds\" (a number) is required");
    }
    Duration length = Duration.ofMillis(Math.round(seconds.asDouble() * 1000));
    JsonNode share = body.get("share");
    JsonNode buyers = body.get("buyers");
    if ((share == null) == (buyers == null)) {
      throw new IllegalArgumentException("give either \"share\" or \"buyers\"");
    }
    if (share != null) {
      if (!share.isNumber()) {
        throw new IllegalArgumentException("\"share\" must be a number");
      }
      return start(share.asDouble(), length);
    }
    if (!buyers.isArray()) {
      throw new IllegalArgumentException("\"buyers\" must be a list of buyer ids");
    }
    List<String> ids = new ArrayList<>();
    buyers.forEach(id -> ids.add(id.asText()));
    return start(ids, length);
  }

  /** The current state as JSON: whether a storm is on, who hangs, and how long it has left. */
  public String toJson() {
    Window w = window;
    ObjectNode json = Json.MAPPER.createObjectNode();
    long now = nanoTime.getAsLong();
    boolean active = w != null && now < w.endNanos();
    json.put("active", active);
    if (w != null) {
      json.put("share", w.share());
      var list = json.putArray("buyers");
      buyerIds.stream().filter(w.buyers()::contains).forEach(list::add);
      json.put("started_at_ms", w.startedAtMs());
      json.put("seconds", (w.endNanos() - w.startNanos()) / 1e9);
      json.put("remaining_ms", Math.max(0, (w.endNanos() - now) / 1_000_000));
    }
    return json.toString();
  }
}
