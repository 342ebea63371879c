package dev.nodecache.operator.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodecache.operator.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What the operator image runs is the shaded jar: it must hold the operator and nothing that only
 * the tests or the local cluster need (the mock API server and its web server, the simulated
 * kubelet, the local DNS).
 */
class OperatorJarIT {
  static final Path JAR = Fixtures.ROOT.resolve("operator/target/nodecache-operator.jar");
  static final List<String> FORBIDDEN =
      List.of(
          "io/fabric8/kubernetes/client/server/mock/",
          "io/fabric8/mockwebserver/",
          "okhttp3/",
          "dev/nodecache/local/",
          "dev/nodecache/operator/local/",
          "org/junit/");

  @Test
  void theShadedJarHoldsNoMockServerNorLocalCluster() throws IOException {
    assertTrue(Files.isRegularFile(JAR), "package first: " + JAR);
    try (JarFile jar = new JarFile(JAR.toFile())) {
      List<String> found =
          jar.stream()
              .map(e -> e.getName())
              .filter(n -> FORBIDDEN.stream().anyMatch(n::startsWith))
              .limit(10)
              .collect(Collectors.toList());
      assertEquals(List.of(), found, "classes that do not belong in the operator image");
      assertTrue(
          jar.getEntry("dev/nodecache/operator/Main.class") != null, "the operator's main class");
    }
  }
}
