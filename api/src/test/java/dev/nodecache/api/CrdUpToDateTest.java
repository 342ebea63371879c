package dev.nodecache.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed CRD YAML (crds/ and the chart's crds/) is what the model generates. When the model
 * changes, regenerate with {@code mvn -pl api test -Dcrd.update=true} and commit.
 */
class CrdUpToDateTest {
  static final String FILE = "dnscachepolicies.nodecache.dev-v1.yml";
  static final Path ROOT = Path.of(System.getProperty("repo.root", ".."));
  static final List<Path> COMMITTED =
      List.of(
          ROOT.resolve("crds").resolve(FILE), ROOT.resolve("charts/nodecache/crds").resolve(FILE));

  static String generate(Path out) {
    new CRDGenerator()
        .customResourceClasses(DnsCachePolicy.class)
        .forCRDVersions("v1")
        .inOutputDir(out.toFile())
        .generate();
    try {
      return inDeclaredColumnOrder(Files.readString(out.resolve(FILE)));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * The generator sorts printer columns by JSON path; kubectl shows them in the CRD's order, so
   * they are put back in the order the model declares them (READY STATUS LAST FLUSH AGE …).
   */
  static String inDeclaredColumnOrder(String yaml) {
    CustomResourceDefinition crd = Serialization.unmarshal(yaml, CustomResourceDefinition.class);
    List<String> order =
        java.util.Arrays.stream(
                DnsCachePolicy.class.getAnnotationsByType(
                    io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.class))
            .map(c -> c.name())
            .toList();
    for (CustomResourceDefinitionVersion v : crd.getSpec().getVersions()) {
      v.getAdditionalPrinterColumns()
          .sort(java.util.Comparator.comparingInt(c -> order.indexOf(c.getName())));
    }
    return Serialization.asYaml(crd);
  }

  @Test
  void committedCrdsMatchTheModel(@TempDir Path out) throws Exception {
    String generated = generate(out);
    for (Path committed : COMMITTED) {
      if (Boolean.getBoolean("crd.update")) {
        Files.createDirectories(committed.getParent());
        Files.writeString(committed, generated);
      }
      assertTrue(Files.exists(committed), committed + " is missing: run with -Dcrd.update=true");
      assertEquals(
          generated,
          Files.readString(committed),
          committed + " differs from the model: run mvn -pl api test -Dcrd.update=true");
    }
  }

  @Test
  void theSchemaSaysWhatItCan(@TempDir Path out) {
    CustomResourceDefinition crd =
        Serialization.unmarshal(generate(out), CustomResourceDefinition.class);
    assertEquals("Cluster", crd.getSpec().getScope());
    assertEquals(List.of("dcp"), crd.getSpec().getNames().getShortNames());
    CustomResourceDefinitionVersion v = crd.getSpec().getVersions().get(0);
    assertEquals("v1alpha1", v.getName());
    assertTrue(v.getSubresources().getStatus() != null, "status subresource");
    assertEquals(
        List.of("Ready", "Status", "Last Flush", "Age", "Updated", "Port", "Flushed At"),
        v.getAdditionalPrinterColumns().stream().map(c -> c.getName()).toList(),
        "kubectl get dcp shows them in this order");

    JSONSchemaProps spec = v.getSchema().getOpenAPIV3Schema().getProperties().get("spec");
    assertTrue(spec.getRequired().containsAll(List.of("listen", "upstreams")));
    JSONSchemaProps cache = spec.getProperties().get("cache");
    assertTrue(
        rules(cache)
            .contains(
                "!has(self.minTtl) || !has(self.maxTtl) || duration(self.minTtl) <="
                    + " duration(self.maxTtl)"));
    assertTrue(
        rules(cache.getProperties().get("servfailTtl"))
            .contains("duration(self) <= duration('5m')"));
    assertEquals("^([0-9]+(ms|s|m|h))+$", cache.getProperties().get("maxTtl").getPattern());
    JSONSchemaProps listen = spec.getProperties().get("listen");
    assertEquals(65535.0, listen.getProperties().get("port").getMaximum());
    assertTrue(
        rules(listen.getProperties().get("addresses")).get(0).startsWith("self.all(a, a.matches("));
    JSONSchemaProps upstream = spec.getProperties().get("upstreams").getItems().getSchema();
    assertEquals(
        java.util.Set.of("udp", "tcp", "prefer-udp"),
        upstream.getProperties().get("transport").getEnum().stream()
            .map(e -> e.asText())
            .collect(Collectors.toSet()));
    assertTrue(upstream.getRequired().contains("zones"));
  }

  @Test
  void whatRulesWalkIsBoundedAndMigrationNamesAreKeys(@TempDir Path out) {
    CustomResourceDefinition crd =
        Serialization.unmarshal(generate(out), CustomResourceDefinition.class);
    JSONSchemaProps spec =
        crd.getSpec()
            .getVersions()
            .get(0)
            .getSchema()
            .getOpenAPIV3Schema()
            .getProperties()
            .get("spec");
    JSONSchemaProps migrations = spec.getProperties().get("migrations");
    assertEquals("map", migrations.getXKubernetesListType());
    assertEquals(List.of("name"), migrations.getXKubernetesListMapKeys());
    assertEquals(List.of(), rules(spec), "uniqueness is the list type's, not a quadratic rule");
    JSONSchemaProps addresses = spec.getProperties().get("listen").getProperties().get("addresses");
    assertEquals(Long.valueOf(Bounds.LISTEN_ADDRESSES), addresses.getMaxItems());
    assertEquals(Long.valueOf(Bounds.ADDRESS), addresses.getItems().getSchema().getMaxLength());
    JSONSchemaProps upstreams = spec.getProperties().get("upstreams");
    assertEquals(Long.valueOf(Bounds.UPSTREAMS), upstreams.getMaxItems());
    JSONSchemaProps servers = upstreams.getItems().getSchema().getProperties().get("servers");
    assertEquals(Long.valueOf(Bounds.SERVERS), servers.getMaxItems());
    assertEquals(Long.valueOf(Bounds.SERVER), servers.getItems().getSchema().getMaxLength());
    JSONSchemaProps intercepted =
        spec.getProperties().get("network").getProperties().get("interceptClusterDns");
    assertEquals(Long.valueOf(Bounds.INTERCEPTED_ADDRESSES), intercepted.getMaxItems());
    assertEquals(
        Long.valueOf(Bounds.DURATION),
        spec.getProperties().get("cache").getProperties().get("maxTtl").getMaxLength());
  }

  static List<String> rules(JSONSchemaProps props) {
    return props.getXKubernetesValidations() == null
        ? List.of()
        : props.getXKubernetesValidations().stream()
            .map(ValidationRule::getRule)
            .collect(Collectors.toList());
  }
}
