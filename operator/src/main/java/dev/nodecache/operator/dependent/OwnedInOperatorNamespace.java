package dev.nodecache.operator.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResourceConfigBuilder;
import java.util.Set;

/**
 * Every object a (cluster-scoped) policy owns lives in the operator's namespace and carries the
 * operator's label: the informers watch only that, and the RBAC can stay namespaced.
 */
final class OwnedInOperatorNamespace {
  static final String MANAGED_BY = "app.kubernetes.io/managed-by=nodecache-operator";

  private OwnedInOperatorNamespace() {}

  @SuppressWarnings({"unchecked", "rawtypes"})
  static <R extends HasMetadata> void configure(
      KubernetesDependentResource<R, ?> dependent, Class<R> type, String namespace) {
    dependent.configureWith(
        new KubernetesDependentResourceConfigBuilder<R>()
            .withUseSSA(false) // the fabric8 mock server (local mode, tests) refuses SSA patches
            .withKubernetesDependentInformerConfig(
                (InformerConfiguration)
                    InformerConfiguration.builder(type)
                        .withNamespaces(Set.of(namespace))
                        .withLabelSelector(MANAGED_BY)
                        .build())
            .build());
  }
}
