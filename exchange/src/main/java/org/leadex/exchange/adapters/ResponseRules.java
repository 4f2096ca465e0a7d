package org.leadex.exchange.adapters;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.leadex.exchange.api.ApiError;
import org.leadex.exchange.json.DocReader;
import org.leadex.exchange.json.Json;

/**
 * The rules that read a buyer's answer: {@code accepted} (a bid or an acceptance), {@code price} (the
 * bid), {@code shared_price} (the bid for the lead shared, in {@code best} campaigns),
 * {@code reference} (the bid's id, or the buyer's reference of a post) and {@code reason} (why it
 * said no). A bid adapter needs {@code price}; a post adapter needs {@code accepted}. Immutable; thread safe.
 */
public record ResponseRules(Optional<ResponseRule> accepted, Optional<ResponseRule> price,
                            Optional<ResponseRule> sharedPrice, Optional<ResponseRule> reference,
                            Optional<ResponseRule> reason) {

  public static ResponseRules read(DocReader doc, Adapter.Kind kind) {
    ResponseRules rules = new ResponseRules(rule(doc, "accepted"), rule(doc, "price"), rule(doc, "shared_price"),
        rule(doc, "reference"), rule(doc, "reason"));
    doc.done();
    if (kind == Adapter.Kind.BID && rules.price.isEmpty()) {
      throw ApiError.validation(doc.path("price"), "a bid adapter's response needs a price rule (" + doc.path("price")
          + ")");
    }
    if (kind == Adapter.Kind.POST && rules.accepted.isEmpty()) {
      throw ApiError.validation(doc.path("accepted"), "a post adapter's response needs an accepted rule ("
          + doc.path("accepted") + ")");
    }
    return rules;
  }

  private static Optional<ResponseRule> rule(DocReader doc, String name) {
    return doc.optObject(name).map(ResponseRule::read);
  }

  /** What every rule reads from the answer, by name (absent when a rule reads nothing): for {@code adapter-test}. */
  public ObjectNode readAll(AdapterResponse response) {
    Map<String, Optional<ResponseRule>> all = new LinkedHashMap<>();
    all.put("accepted", accepted);
    all.put("price", price);
    all.put("shared_price", sharedPrice);
    all.put("reference", reference);
    all.put("reason", reason);
    ObjectNode out = Json.object();
    all.forEach((name, rule) -> rule.ifPresent(r -> {
      ObjectNode read = out.putObject(name);
      read.put("rule", r.describe());
      Optional<String> value = r.read(response);
      if (value.isPresent()) {
        read.put("value", value.get());
      } else {
        read.putNull("value");
      }
      read.put("holds", r.holds(value));
    }));
    return out;
  }
}
