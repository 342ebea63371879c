package dev.nodecache.operator.dependent;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodecache.api.DnsCachePolicy;
import dev.nodecache.operator.Fixtures;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentMetricsServiceMatchTest {
  final DnsCachePolicy policy = Fixtures.examplePolicy("default-policy.yaml");
  final Service desired = AgentMetricsServiceDependent.desired(policy, "nodecache-system");

  /** The desired Service as the API server stores it: with its defaults added. */
  Service stored() {
    return new ServiceBuilder(desired)
        .editMetadata()
        .withResourceVersion("42")
        .addToLabels("team", "dns")
        .endMetadata()
        .editSpec()
        .withType("ClusterIP")
        .withClusterIPs("None")
        .withIpFamilies("IPv4")
        .withIpFamilyPolicy("SingleStack")
        .withSessionAffinity("None")
        .withInternalTrafficPolicy("Cluster")
        .endSpec()
        .build();
  }

  @Test
  void theApiServersDefaultsAreNoDifference() {
    assertTrue(AgentMetricsServiceDependent.matches(stored(), desired));
  }

  @Test
  void aChangedPortSelectorOrLabelIs() {
    Service port = stored();
    port.getSpec().getPorts().get(0).setPort(9999);
    assertFalse(AgentMetricsServiceDependent.matches(port, desired));
    Service selector = stored();
    selector.getSpec().setSelector(java.util.Map.of("app", "other"));
    assertFalse(AgentMetricsServiceDependent.matches(selector, desired));
    Service labels = stored();
    labels.getMetadata().setLabels(java.util.Map.of());
    assertFalse(AgentMetricsServiceDependent.matches(labels, desired));
    Service ports = stored();
    ports.getSpec().setPorts(List.of());
    assertFalse(AgentMetricsServiceDependent.matches(ports, desired));
  }
}
