package org.leadex.exchange.adapters;

import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.leadex.exchange.api.ApiError;
import org.leadex.exchange.json.DocReader;

/**
 * A buyer's own API, where it has one: the adapter its bid requests go through, the one its posts go
 * through, and the secrets their templates may read. A buyer without adapters speaks the exchange's
 * buyer protocol. Immutable; thread safe.
 */
public record BuyerAdapters(Optional<Adapter> bid, Optional<Adapter> post, Secrets secrets) {
  public static final BuyerAdapters NONE = new BuyerAdapters(Optional.empty(), Optional.empty(), Secrets.NONE);

  /** Reads {@code bid_adapter}, {@code post_adapter} and {@code secrets} of a buyer's document. */
  public static BuyerAdapters read(DocReader buyer) {
    Optional<Adapter> bid = buyer.optObject(Adapter.Kind.BID.field).map(d -> Adapter.read(d, Adapter.Kind.BID));
    Optional<Adapter> post = buyer.optObject(Adapter.Kind.POST.field).map(d -> Adapter.read(d, Adapter.Kind.POST));
    Secrets secrets = buyer.optObject(Secrets.FIELD).map(Secrets::read).orElse(Secrets.NONE);
    BuyerAdapters adapters = new BuyerAdapters(bid, post, secrets);
    for (Adapter adapter : adapters.all()) {
      for (String name : adapter.names()) {
        if (name.startsWith("secret.") && !secrets.has(name.substring(7))) {
          throw ApiError.validation(adapter.kind().field, adapter.kind().field + " reads {{" + name + "}} but the buyer"
              + " has no such secret");
        }
      }
    }
    return adapters;
  }

  public boolean any() {
    return bid.isPresent() || post.isPresent();
  }

  /** The lead fields its bid adapter's templates name ({@code {{lead.x}}} gives {@code x}). */
  public Set<String> bidLeadFields() {
    Set<String> fields = new LinkedHashSet<>();
    bid.ifPresent(a -> a.names().forEach(name -> {
      if (name.startsWith("lead.") && name.length() > 5) {
        fields.add(name.substring(5).split("\\.")[0]);
      }
    }));
    return fields;
  }

  private java.util.List<Adapter> all() {
    java.util.List<Adapter> all = new java.util.ArrayList<>(2);
    bid.ifPresent(all::add);
    post.ifPresent(all::add);
    return all;
  }
}
