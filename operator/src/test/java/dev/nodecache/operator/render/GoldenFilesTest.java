package dev.nodecache.operator.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nodecache.api.DnsCachePolicy;
import dev.nodecache.operator.Fixtures;
import dev.nodecache.operator.dependent.AgentConfigMapDependent;
import dev.nodecache.operator.dependent.AgentDaemonSetDependent;
import dev.nodecache.operator.dependent.AgentMetricsServiceDependent;
import dev.nodecache.operator.dependent.AgentServiceAccountDependent;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Everything the operator renders, compared with committed golden files. After an intended change:
 * {@code mvn -pl operator test -Dgolden.update=true}, then review and commit the diff.
 */
class GoldenFilesTest {
  static final Path GOLDEN = Path.of("src/test/resources/golden");
  final DnsCachePolicy policy = Fixtures.examplePolicy("default-policy.yaml");
  final ObjectNode config =
      AgentConfigRenderer.render(policy, Map.of("kube-system/kube-dns", "10.96.0.10"));

  @Test
  void agentConfig() throws Exception {
    assertGolden("default-policy.config.json", AgentConfigRenderer.toText(config));
  }

  @Test
  void configMap() throws Exception {
    assertGolden(
        "default-policy.configmap.yaml",
        AgentConfigMapDependent.desired(
            policy, AgentConfigRenderer.toText(config), "nodecache-system"));
  }

  @Test
  void daemonSet() throws Exception {
    assertGolden(
        "default-policy.daemonset.yaml",
        AgentDaemonSetDependent.desired(
            policy, AgentConfigRenderer.restartChecksum(config), Fixtures.SETTINGS));
  }

  @Test
  void metricsService() throws Exception {
    assertGolden(
        "default-policy.service.yaml",
        AgentMetricsServiceDependent.desired(policy, "nodecache-system"));
  }

  @Test
  void serviceAccount() throws Exception {
    assertGolden(
        "default-policy.serviceaccount.yaml",
        AgentServiceAccountDependent.desired(policy, "nodecache-system"));
  }

  static void assertGolden(String name, HasMetadata object) throws Exception {
    assertGolden(name, Serialization.asYaml(object));
  }

  static void assertGolden(String name, String actual) throws Exception {
    Path file = GOLDEN.resolve(name);
    if (Boolean.getBoolean("golden.update")) {
      Files.createDirectories(GOLDEN);
      Files.writeString(file, actual);
    }
    assertEquals(
        Files.readString(file),
        actual,
        name + " differs; if intended: mvn -pl operator test -Dgolden.update=true");
  }
}
