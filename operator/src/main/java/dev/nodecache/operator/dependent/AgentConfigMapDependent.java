package dev.nodecache.operator.dependent;

import dev.nodecache.api.DnsCachePolicy;
import dev.nodecache.operator.PolicyNames;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/** The agent config, rendered from the policy, mounted into every agent pod. */
public final class AgentConfigMapDependent extends OwnedDependent<ConfigMap> {
  public AgentConfigMapDependent(String namespace) {
    super(ConfigMap.class, namespace);
  }

  @Override
  protected ConfigMap desired(DnsCachePolicy policy, Context<DnsCachePolicy> context) {
    return desired(policy, RenderedConfig.of(context).text(), namespace);
  }

  /** Pure: the ConfigMap holding {@code configText}. */
  public static ConfigMap desired(DnsCachePolicy policy, String configText, String namespace) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(PolicyNames.agent(policy))
        .withNamespace(namespace)
        .withLabels(PolicyNames.labels(policy))
        .endMetadata()
        .addToData(PolicyNames.CONFIG_KEY, configText)
        .build();
  }
}
