package org.leadex.exchange.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.leadex.exchange.support.Promtool;

/**
 * docker-compose.yml and prometheus.yml stay valid although CI has no Docker engine to run them:
 * both parse as YAML, every service is there with a health check, Prometheus scrapes the exchange,
 * and Prometheus's own promtool accepts its configuration.
 */
class ComposeFileTest {
  private static final Path ROOT = Path.of("..");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Test
  void everyServiceIsThereWithAHealthCheck() throws Exception {
    JsonNode services = YAML.readTree(ROOT.resolve("docker-compose.yml").toFile()).get("services");
    for (String name : List.of("postgres", "exchange", "buyer-simulator", "prometheus")) {
      JsonNode service = services.get(name);
      assertTrue(service != null && service.hasNonNull("image"), name + " is missing or has no image");
      JsonNode test = service.path("healthcheck").path("test");
      assertTrue(test.isArray() && test.size() >= 2 && test.get(0).asText().startsWith("CMD"),
          name + " needs a health check: " + test);
    }
    assertEquals("service_healthy", services.get("exchange").get("depends_on").get("postgres").get("condition").asText());
    assertEquals("service_healthy", services.get("prometheus").get("depends_on").get("exchange").get("condition").asText());
    assertTrue(services.get("prometheus").get("volumes").toString().contains("./prometheus.yml:/etc/prometheus/prometheus.yml"));
    assertTrue(services.get("exchange").get("environment").has("DATABASE_URL"));
  }

  @Test
  void prometheusScrapesTheExchange() throws Exception {
    Path config = ROOT.resolve("prometheus.yml");
    JsonNode job = YAML.readTree(config.toFile()).get("scrape_configs").get(0);
    assertEquals("/metrics", job.get("metrics_path").asText());
    assertEquals("exchange:8080", job.get("static_configs").get(0).get("targets").get(0).asText());

    Path promtool = Promtool.find().orElse(null);
    Assumptions.assumeTrue(promtool != null, "promtool not installed (Debian package prometheus; .ci/run installs it)");
    Promtool.Verdict verdict = Promtool.checkConfig(promtool, config);
    assertTrue(verdict.ok(), verdict.output());
  }
}
