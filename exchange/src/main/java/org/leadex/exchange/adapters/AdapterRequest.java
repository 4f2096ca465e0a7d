package org.leadex.exchange.adapters;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.http.HttpMethod;
import java.util.Map;
import org.leadex.exchange.json.Json;

/** One rendered request to a buyer's own API. {@code body} is null for a GET. */
public record AdapterRequest(HttpMethod method, String url, Map<String, String> headers, String body) {

  /** As {@code adapter-test} shows it: every secret's value masked. */
  public ObjectNode shown(Secrets secrets) {
    ObjectNode out = Json.object();
    out.put("method", method.name());
    out.put("url", secrets.mask(url));
    ObjectNode shownHeaders = out.putObject("headers");
    headers.forEach((name, value) -> shownHeaders.put(name, secrets.mask(value)));
    if (body == null) {
      out.putNull("body");
    } else {
      out.put("body", secrets.mask(body));
    }
    return out;
  }
}
