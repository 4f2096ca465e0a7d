package org.leadex.exchange.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.leadex.exchange.api.ApiError;
import org.leadex.exchange.catalog.Buyer;
import org.leadex.exchange.json.DocReader;
import org.leadex.exchange.json.Json;
import org.leadex.simulator.certify.BuyerWire;
import org.leadex.simulator.certify.CertifyCommand;
import org.leadex.simulator.certify.KitSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar exchange.jar certify --buyer buyer.json}: the buyer conformance kit (the buyer
 * simulator's {@code certify}, every option of it) run through a buyer's adapters, from the same
 * document an admin PUTs to {@code /v1/admin/buyers/{id}}. Lives in the exchange because the
 * adapters do: templates, rules and answer readers are the live ones, not copies.
 */
@Command(name = "certify", mixinStandardHelpOptions = true, sortOptions = false,
    header = "Certifies a buyer's own API through its adapters (the conformance kit).",
    description = {"Sends the conformance kit's cases through the buyer document's bid_adapter and post_adapter",
        "(a side without one speaks the buyer protocol at its bid_url/post_url), reads every answer by the",
        "adapter's rules as the exchange does, and prints the report. See docs/buyers.md.", ""},
    footer = {"", "Exit codes: 0 certified (no case failed; warnings allowed), 1 a case failed, 2 bad flags."})
public final class AdapterCertifyCommand extends CertifyCommand {
  @Option(names = "--buyer", paramLabel = "FILE", required = true,
      description = "The buyer's document (JSON, as PUT to /v1/admin/buyers/{id}), with its adapters and secrets.")
  Path buyerFile;

  private BuyerAdapters adapters;

  @Override
  protected KitSettings settings() {
    Buyer buyer = buyer();
    adapters = buyer.adapters();
    if (bidUrl == null) {
      bidUrl = adapters.bid().map(a -> a.url().render(Map.of()))
          .orElse(buyer.bidUrl().map(Object::toString).orElse(null));
    }
    if (postUrl == null) {
      postUrl = adapters.post().map(a -> a.url().render(Map.of()))
          .orElse(buyer.postUrl() == null ? null : buyer.postUrl().toString());
    }
    return super.settings();
  }

  @Override
  protected BuyerWire wire(Vertx vertx) {
    return new AdaptedWire(vertx, adapters);
  }

  private Buyer buyer() {
    JsonNode doc;
    try {
      doc = Json.parse(Files.readAllBytes(buyerFile));
    } catch (IOException e) {
      throw new IllegalArgumentException("--buyer " + buyerFile + ": " + e.getMessage());
    }
    try {
      return Buyer.read(0, "certify", DocReader.of(doc, ""));
    } catch (ApiError e) {
      throw new IllegalArgumentException("--buyer " + buyerFile + ": " + e.getMessage());
    }
  }

  public static int run(String... args) {
    return new CommandLine(new AdapterCertifyCommand()).execute(args);
  }
}
