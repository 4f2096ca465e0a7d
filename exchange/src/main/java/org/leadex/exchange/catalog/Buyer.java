package org.leadex.exchange.catalog;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Optional;
import org.leadex.exchange.adapters.BuyerAdapters;
import org.leadex.exchange.api.ApiError;
import org.leadex.exchange.json.DocReader;
import org.leadex.exchange.money.Money;
import org.leadex.exchange.routing.Filter;

/**
 * A buyer as the admin configured it: where it bids (or its fixed price), where leads are posted,
 * its bid deadline, the rules on which leads it takes, and optionally the addresses its keys work from
 * (for its calls to the exchange: feedback and the like).
 *
 * @param postUrl null for a buyer that takes its leads through its {@code crm} only (it accepts on offer)
 * @param crm     where a copy of each lead it buys goes (its CRM), after the sale
 * @param notice  (document field "notify") who is told of each lead it buys (a chat channel, a rep), after the sale
 * @param billing postpaid, or prepaid from a wallet ({@link Billing})
 * @param dedupeDays never offered a lead whose phone or e-mail it bought within this many days, in any campaign (0: off)
 * @param adapters   its own API for bids and posts, where it does not speak the buyer protocol, and its secrets
 */
public record Buyer(int id, String code, String name, Optional<URI> bidUrl, URI postUrl, Optional<Money> fixedPrice,
                    int timeoutMs, List<Filter> filters, int minScore, boolean active, Optional<Schedule> schedule,
                    Caps caps, int maxConcurrent, int bidModifierPercent, AddressAllowList allowedIps,
                    Optional<Webhook> crm, Optional<Webhook> notice, Billing billing, int dedupeDays,
                    BuyerAdapters adapters) {

  /** A buyer speaking the buyer protocol. */
  public Buyer(int id, String code, String name, Optional<URI> bidUrl, URI postUrl, Optional<Money> fixedPrice,
               int timeoutMs, List<Filter> filters, int minScore, boolean active, Optional<Schedule> schedule,
               Caps caps, int maxConcurrent, int bidModifierPercent, AddressAllowList allowedIps,
               Optional<Webhook> crm, Optional<Webhook> notice, Billing billing, int dedupeDays) {
    this(id, code, name, bidUrl, postUrl, fixedPrice, timeoutMs, filters, minScore, active, schedule, caps,
        maxConcurrent, bidModifierPercent, allowedIps, crm, notice, billing, dedupeDays, BuyerAdapters.NONE);
  }

  /** A buyer as before wallets and dedupe windows: postpaid, no window of its own. */
  public Buyer(int id, String code, String name, Optional<URI> bidUrl, URI postUrl, Optional<Money> fixedPrice,
               int timeoutMs, List<Filter> filters, int minScore, boolean active, Optional<Schedule> schedule,
               Caps caps, int maxConcurrent, int bidModifierPercent, AddressAllowList allowedIps,
               Optional<Webhook> crm, Optional<Webhook> notice) {
    this(id, code, name, bidUrl, postUrl, fixedPrice, timeoutMs, filters, minScore, active, schedule, caps,
        maxConcurrent, bidModifierPercent, allowedIps, crm, notice, Billing.POSTPAID, 0);
  }

  /** A buyer with no schedule, caps or capacity limit. */
  public Buyer(int id, String code, String name, Optional<URI> bidUrl, URI postUrl, Optional<Money> fixedPrice,
               int timeoutMs, List<Filter> filters, int minScore, boolean active) {
    this(id, code, name, bidUrl, postUrl, fixedPrice, timeoutMs, filters, minScore, active, Optional.empty(),
        Caps.NONE, 0, 0, AddressAllowList.ANY, Optional.empty(), Optional.empty());
  }

  /** False for a CRM-only buyer: it has no post_url (nor post adapter) and accepts a lead when it is offered. */
  public boolean takesPosts() {
    return postUrl != null || adapters.post().isPresent();
  }

  /** The time zone its days and hours are counted in. */
  public java.time.ZoneId zone() {
    return schedule.map(Schedule::zone).orElse(java.time.ZoneOffset.UTC);
  }

  /** Whether sales to it must be counted exactly (caps or a capacity limit). */
  public boolean limited() {
    return caps.any() || maxConcurrent > 0;
  }

  /** Whether it is asked for bids (at its bid_url or through its bid adapter), rather than paying a fixed price. */
  public boolean bids() {
    return bidUrl.isPresent() || adapters.bid().isPresent();
  }

  public static Buyer read(int id, String code, DocReader doc) {
    String name = doc.string("name", 200);
    Optional<URI> bidUrl = doc.optString("bid_url", 2000).map(u -> url(u, doc.path("bid_url")));
    URI postUrl = doc.optString("post_url", 2000).map(u -> url(u, doc.path("post_url"))).orElse(null);
    Optional<Money> fixedPrice = doc.optMoney("fixed_price");
    BuyerAdapters adapters = BuyerAdapters.read(doc);
    if (bidUrl.isPresent() && adapters.bid().isPresent()) {
      throw ApiError.validation("bid_adapter", "a buyer has a bid_url or a bid_adapter, not both");
    }
    if (postUrl != null && adapters.post().isPresent()) {
      throw ApiError.validation("post_adapter", "a buyer has a post_url or a post_adapter, not both");
    }
    if (bidUrl.isEmpty() && adapters.bid().isEmpty() && fixedPrice.isEmpty()) {
      throw ApiError.validation("bid_url", "a buyer needs a bid_url, a bid_adapter or a fixed_price");
    }
    int timeoutMs = doc.integer("timeout_ms", 1, 60_000, 1_000);
    List<Filter> filters = doc.list("filters", 100, e -> Filter.read(e.object()));
    int minScore = doc.integer("min_score", 0, 100, 0);
    String status = doc.optString("status", 16).orElse("active");
    if (!status.equals("active") && !status.equals("paused")) {
      throw ApiError.validation("status", "status must be active or paused");
    }
    Optional<Schedule> schedule = doc.optObject("schedule").map(Schedule::read);
    Caps caps = doc.optObject("caps").map(Caps::read).orElse(Caps.NONE);
    int maxConcurrent = doc.integer("max_concurrent", 0, 1_000_000, 0);
    // Ranks its offers higher or lower in auction tiers; never changes what it pays.
    int bidModifier = doc.integer("bid_modifier_percent", -50, 100, 0);
    AddressAllowList allowedIps = AddressAllowList.read(doc, "allowed_ips");
    Optional<Webhook> crm = doc.optObject("crm").map(Webhook::readCrm);
    Optional<Webhook> notice = doc.optObject("notify").map(Webhook::readNotify);
    if (postUrl == null && adapters.post().isEmpty() && crm.isEmpty()) {
      throw ApiError.validation("post_url", "a buyer needs a post_url, a post_adapter or a crm");
    }
    Billing billing = doc.optObject("billing").map(Billing::read).orElse(Billing.POSTPAID);
    int dedupeDays = doc.integer("dedupe_days", 0, 3650, 0);
    doc.done();
    return new Buyer(id, code, name, bidUrl, postUrl, fixedPrice, timeoutMs, filters, minScore, status.equals("active"),
        schedule, caps, maxConcurrent, bidModifier, allowedIps, crm, notice, billing, dedupeDays, adapters);
  }

  static URI url(String text, String path) {
    try {
      URI uri = new URI(text);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
        throw ApiError.validation(path, path + " must be an absolute http(s) URL");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw ApiError.validation(path, path + " must be an absolute http(s) URL");
    }
  }
}
