package org.leadex.simulator.behaviour;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.leadex.simulator.behaviour.BidDecision.NoBidReason;
import org.leadex.simulator.behaviour.BidDecision.Outcome;
import org.leadex.simulator.config.BuyerConfig;
import org.leadex.simulator.config.BuyerProfile;
import org.leadex.simulator.config.ErrorRates;
import org.leadex.simulator.stats.BuyerCounters;

/**
 * Event-loop confined: one simulated buyer's decisions and its daily capacity, used only by the
 * server that hosts it (its counters are thread safe and may be read anywhere).
 *
 * <p>No I/O here: given a request it returns a decision, so distributions can be tested without a
 * network. Repeatability: every bid request takes the next seed from the buyer's bid stream and
 * every post the next from its post stream ({@link BuyerSeeds}); all draws for that request come
 * from a generator made from that one seed. So the n-th bid request's decision depends only on
 * (seed, buyer id, n, the request's fields, and the capacity left), whatever other buyers are asked
 * in between and however many draws earlier requests took.
 */
public final class BuyerBehaviour {
  /** How many of its latest posts' answers a buyer remembers, to answer a repeated post alike. */
  public static final int REMEMBERED_POSTS = 1_000;
  private final String id;
  private final BuyerProfile profile;
  private final Clock clock;
  private final BuyerCounters counters;
  /**
   * The latest posts' decisions by lead_id, so that a lead posted again (an exchange retrying after
   * its own failure) gets the first answer and is not bought twice. Bounded, because a load test
   * posts millions of leads: a repeat comes seconds after the first post, not thousands of posts later.
   */
  private final Map<String, PostDecision> recentPosts = new LinkedHashMap<>(64, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, PostDecision> eldest) {
      return size() > REMEMBERED_POSTS;
    }
  };
  private final SplittableRandom bidSeeds;
  private final SplittableRandom postSeeds;
  private long bidSequence;
  private long postSequence;
  private LocalDate day;
  private long acceptedToday;
  /** Accepted posts whose answer is not written yet: they already take capacity. */
  private long pendingAccepts;

  public BuyerBehaviour(BuyerConfig config, long seed, Clock clock, BuyerCounters counters) {
    this.id = config.id();
    this.profile = config.profile();
    this.clock = clock;
    this.counters = counters;
    this.bidSeeds = BuyerSeeds.stream(seed, id, "bid");
    this.postSeeds = BuyerSeeds.stream(seed, id, "post");
  }

  public String id() {
    return id;
  }

  public BuyerProfile profile() {
    return profile;
  }

  public BuyerCounters counters() {
    return counters;
  }

  /**
   * Decides one bid request and counts it. One uniform draw picks among hang and the error kinds
   * (in the order hang, error_500, malformed, trickle, reset, oversized, each taking its rate's
   * share of [0, 1)); then the delay; then the bid itself: preferences, capacity, bid probability
   * and price, in that order.
   */
  public BidDecision decideBid(BidRequest request) {
    SplittableRandom random = new SplittableRandom(bidSeeds.nextLong());
    long sequence = ++bidSequence;
    Outcome fault = drawFault(random.nextDouble());
    long delay = profile.latency().sampleMs(random);
    BidDecision d;
    if (fault == Outcome.HANG) {
      d = new BidDecision(Outcome.HANG, 0, 0, 0, null, null, sequence);
    } else {
      d = bid(request, random, sequence, delay, fault);
    }
    counters.bidRequest(d);
    return d;
  }

  private BidDecision bid(BidRequest request, SplittableRandom random, long sequence, long delay, Outcome fault) {
    NoBidReason reason = null;
    if (!profile.preferences().accepts(request.state(), request.score())) {
      reason = NoBidReason.PREFERENCE;
    } else if (atCapacity()) {
      reason = NoBidReason.CAPACITY;
    } else if (random.nextDouble() >= profile.bidProbability()) {
      reason = NoBidReason.CHANCE;
    }
    Outcome outcome = fault != null ? fault : reason == null ? Outcome.BID : Outcome.NO_BID;
    if (reason != null) {
      return new BidDecision(outcome, delay, 0, 0, null, fault == null ? reason : null, sequence);
    }
    long price = profile.price().sampleCents(random);
    long bid = price;
    long shared = 0;
    if (profile.sharedBidRatio() > 0) {
      if (request.sharedOnly()) {
        bid = share(price);
      } else if (request.offersBoth()) {
        shared = share(price);
      }
    }
    return new BidDecision(outcome, delay, bid, shared, id + "-b" + sequence, null, sequence);
  }

  /** price × shared_bid_ratio, half-up to the cent, at least 1 cent. */
  private long share(long priceCents) {
    long cents = BigDecimal.valueOf(priceCents)
        .multiply(BigDecimal.valueOf(profile.sharedBidRatio()))
        .setScale(0, RoundingMode.HALF_UP)
        .longValueExact();
    return Math.max(1, cents);
  }

  private Outcome drawFault(double u) {
    ErrorRates e = profile.errors();
    double edge = profile.latency().hangRate();
    if (u < edge) {
      return Outcome.HANG;
    }
    if (u < (edge += e.error500())) {
      return Outcome.ERROR_500;
    }
    if (u < (edge += e.malformed())) {
      return Outcome.MALFORMED;
    }
    if (u < (edge += e.trickle())) {
      return Outcome.TRICKLE;
    }
    if (u < (edge += e.reset())) {
      return Outcome.RESET;
    }
    if (u < edge + e.oversized()) {
      return Outcome.OVERSIZED;
    }
    return null;
  }

  /**
   * Decides one post and counts it as a post (its outcome is counted by {@link #delivered} or
   * {@link #abandoned} once the answer is written or cannot be). An accepted post takes capacity at
   * once, so concurrent posts cannot overshoot it.
   *
   * <p>A post of a lead_id already decided (and not abandoned) is answered as the first one was and
   * counted only as {@code repeated_posts}: it takes no seed, so the following posts' decisions are
   * those they would have been without it.
   */
  public PostDecision decidePost(PostRequest request) {
    PostDecision first = request.leadId() == null ? null : recentPosts.get(request.leadId());
    if (first != null) {
      counters.repeatedPost();
      return first.repeated();
    }
    SplittableRandom random = new SplittableRandom(postSeeds.nextLong());
    long sequence = ++postSequence;
    counters.post(request.test());
    double u = random.nextDouble();
    long delay = profile.post().latency().sampleMs(random);
    long price = request.priceCents();
    if (u < profile.post().latency().hangRate()) {
      counters.postHang();
      return new PostDecision(PostDecision.Outcome.HANG, 0, null, null, price, request.test());
    }
    String reason = null;
    if (price < 0) {
      reason = "invalid_price";
    } else if (atCapacity()) {
      reason = "capacity";
    } else if (random.nextDouble() >= profile.post().acceptRate()) {
      reason = profile.post().rejectReason();
    }
    PostDecision d = reason != null
        ? new PostDecision(PostDecision.Outcome.REJECT, delay, null, reason, price, request.test())
        : new PostDecision(PostDecision.Outcome.ACCEPT, delay, id + "-p" + sequence, null, price, request.test());
    if (d.outcome() == PostDecision.Outcome.ACCEPT) {
      pendingAccepts++;
    }
    if (request.leadId() != null) {
      recentPosts.put(request.leadId(), d);
    }
    return d;
  }

  /** The answer to this post reached the connection: count its outcome (and charge an acceptance). */
  public void delivered(PostDecision d) {
    if (d.outcome() == PostDecision.Outcome.ACCEPT) {
      pendingAccepts--;
      rollDay();
      acceptedToday++;
      counters.accepted(d.priceCents(), d.test());
    } else if (d.outcome() == PostDecision.Outcome.REJECT) {
      counters.rejected();
    }
  }

  /** The client left before this post's answer was written: nothing bought, capacity given back. */
  public void abandoned(PostDecision d) {
    if (d.outcome() == PostDecision.Outcome.REPEAT) {
      return; // the first answer stands; this one only repeated it
    }
    if (d.outcome() == PostDecision.Outcome.ACCEPT) {
      pendingAccepts--;
      // Not bought after all: a repeat of this lead is a new post.
      recentPosts.values().remove(d);
    }
    counters.abandoned();
  }

  /** Whether accepted posts today (UTC), plus those being answered, reached the daily capacity. */
  public boolean atCapacity() {
    if (profile.dailyCapacity() == 0) {
      return false;
    }
    rollDay();
    return acceptedToday + pendingAccepts >= profile.dailyCapacity();
  }

  private void rollDay() {
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    if (!today.equals(day)) {
      day = today;
      acceptedToday = 0;
    }
  }
}
