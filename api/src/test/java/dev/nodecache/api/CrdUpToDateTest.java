package dev.nodecache.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.crdv2.generator.CRDGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed CRD YAML (crds/ and the chart's crds/) is what the model generates. When the
 * model changes, regenerate with {@code mvn -pl api test -Dcrd.update=true} and commit.
 */
class CrdUpToDateTest {
  static final String FILE = "dnscachepolicies.nodecache.dev-v1.yml";
  static final Path ROOT = Path.of(System.getProperty("repo.root", ".."));
  static final List<Path> COMMITTED =
      List.of(ROOT.resolve("crds").resolve(FILE),
          ROOT.resolve("charts/nodecache/crds").resolve(FILE));

  @Test
  void committedCrdsMatchTheModel(@TempDir Path out) throws Exception {
    new CRDGenerator()
        .customResourceClasses(DnsCachePolicy.class)
        .forCRDVersions("v1")
        .inOutputDir(out.toFile())
        .generate();
    String generated = Files.readString(out.resolve(FILE));
    for (Path committed : COMMITTED) {
      if (Boolean.getBoolean("crd.update")) {
        Files.createDirectories(committed.getParent());
        Files.writeString(committed, generated);
      }
      assertTrue(Files.exists(committed), committed + " is missing: run with -Dcrd.update=true");
      assertEquals(generated, Files.readString(committed),
          committed + " differs from the model: run mvn -pl api test -Dcrd.update=true");
    }
  }

  @Test
  void theSchemaSaysWhatItCan() throws Exception {
    String crd = Files.readString(COMMITTED.get(0));
    assertTrue(crd.contains("scope: Cluster"));
    assertTrue(crd.contains("- dcp"));
    assertTrue(crd.contains("status: {}"), "status subresource");
    assertTrue(crd.contains("duration(self.minTtl) <= duration(self.maxTtl)"));
    assertTrue(crd.contains("duration(self) <= duration('5m')"));
    assertTrue(crd.contains("isIP(a)"));
    assertTrue(crd.contains("jsonPath: .status.nodes.summary"));
    assertTrue(crd.contains("- prefer-udp"));
  }
}
