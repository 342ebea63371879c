package dev.nodecache.operator.dependent;

import dev.nodecache.api.DnsCachePolicy;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;

/** An object a policy owns, created and updated in the operator's namespace. */
abstract class OwnedDependent<R extends HasMetadata>
    extends CRUDKubernetesDependentResource<R, DnsCachePolicy> {
  protected final String namespace;

  OwnedDependent(Class<R> type, String namespace) {
    super(type);
    this.namespace = namespace;
    OwnedInOperatorNamespace.configure(this, type, namespace);
  }
}
