package dev.nodecache.operator.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodecache.api.DnsCachePolicy;
import dev.nodecache.operator.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every policy in examples/ is one the operator accepts as it is. */
class ExamplesTest {
  static Stream<Path> examples() throws Exception {
    try (Stream<Path> files = Files.list(Fixtures.ROOT.resolve("examples"))) {
      return files.filter(f -> f.toString().endsWith("-policy.yaml")).sorted().toList().stream();
    }
  }

  @ParameterizedTest
  @MethodSource("examples")
  void theExampleIsValid(Path file) {
    DnsCachePolicy p = Fixtures.examplePolicy(file.getFileName().toString());
    assertEquals("nodecache.dev/v1alpha1", p.getApiVersion(), file.toString());
    assertEquals("DnsCachePolicy", p.getKind(), file.toString());
    PolicyValidator.Result r =
        PolicyValidator.validate(
            p, new ServiceRefs.Resolved(Map.of("kube-system/kube-dns", "10.96.0.10"), ""));
    assertTrue(r.valid(), file + ": " + r.message());
  }
}
