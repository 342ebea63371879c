package dev.nodecache.operator.dependent;

import dev.nodecache.api.DnsCachePolicy;
import dev.nodecache.operator.PolicyNames;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The bearer token of the agents' admin API. Created once and never updated (it is a Creator, not
 * an Updater): a reconcile must not rotate it by accident.
 */
public final class AdminTokenSecretDependent
    extends KubernetesDependentResource<Secret, DnsCachePolicy>
    implements Creator<Secret, DnsCachePolicy>, GarbageCollected<DnsCachePolicy> {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final String namespace;

  public AdminTokenSecretDependent(String namespace) {
    super(Secret.class);
    this.namespace = namespace;
    OwnedInOperatorNamespace.configure(this, Secret.class, namespace);
  }

  @Override
  protected Secret desired(DnsCachePolicy policy, Context<DnsCachePolicy> context) {
    byte[] token = new byte[32];
    RANDOM.nextBytes(token);
    return new SecretBuilder()
        .withNewMetadata()
        .withName(PolicyNames.token(policy))
        .withNamespace(namespace)
        .withLabels(PolicyNames.labels(policy))
        .endMetadata()
        .withType("Opaque")
        .addToStringData(
            PolicyNames.TOKEN_KEY, Base64.getUrlEncoder().withoutPadding().encodeToString(token))
        .build();
  }

  @Override
  public void delete(DnsCachePolicy primary, Context<DnsCachePolicy> context) {
    // garbage-collected through the owner reference
  }
}
