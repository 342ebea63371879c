package dev.nodecache.operator.dependent;

import dev.nodecache.api.DnsCachePolicy;
import dev.nodecache.operator.PolicyNames;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/** The agents' identity: no API token mounted, the agent never talks to the API server. */
public final class AgentServiceAccountDependent extends OwnedDependent<ServiceAccount> {
  public AgentServiceAccountDependent(String namespace) {
    super(ServiceAccount.class, namespace);
  }

  @Override
  protected ServiceAccount desired(DnsCachePolicy policy, Context<DnsCachePolicy> context) {
    return desired(policy, namespace);
  }

  public static ServiceAccount desired(DnsCachePolicy policy, String namespace) {
    return new ServiceAccountBuilder()
        .withNewMetadata()
        .withName(PolicyNames.agent(policy))
        .withNamespace(namespace)
        .withLabels(PolicyNames.labels(policy))
        .endMetadata()
        .withAutomountServiceAccountToken(false)
        .build();
  }
}
