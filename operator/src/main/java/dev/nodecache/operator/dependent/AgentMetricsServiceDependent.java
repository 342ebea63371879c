package dev.nodecache.operator.dependent;

import dev.nodecache.api.DnsCachePolicy;
import dev.nodecache.operator.PolicyNames;
import dev.nodecache.operator.render.AgentConfigRenderer;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/** A headless Service over the agent pods, for Prometheus to find and scrape each one. */
public final class AgentMetricsServiceDependent extends OwnedDependent<Service> {
  public AgentMetricsServiceDependent(String namespace) {
    super(Service.class, namespace);
  }

  @Override
  protected Service desired(DnsCachePolicy policy, Context<DnsCachePolicy> context) {
    return desired(policy, namespace);
  }

  public static Service desired(DnsCachePolicy policy, String namespace) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(PolicyNames.agent(policy))
        .withNamespace(namespace)
        .withLabels(PolicyNames.labels(policy))
        .endMetadata()
        .withNewSpec()
        .withClusterIP("None")
        .withSelector(PolicyNames.selector(policy))
        .addNewPort()
        .withName("metrics")
        .withProtocol("TCP")
        .withPort(AgentConfigRenderer.adminPort(policy))
        .withNewTargetPort(AgentConfigRenderer.adminPort(policy))
        .endPort()
        .endSpec()
        .build();
  }
}
