package dev.nodecache.operator.reconcile;

import dev.nodecache.api.DnsCachePolicy;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Kubernetes Events on a policy, for what a user should see in kubectl describe. */
public final class PolicyEvents {
  private static final Logger log = LoggerFactory.getLogger(PolicyEvents.class);

  private final KubernetesClient client;
  private final String namespace;

  public PolicyEvents(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  public void normal(DnsCachePolicy policy, String reason, String message) {
    record(policy, "Normal", reason, message);
  }

  public void warning(DnsCachePolicy policy, String reason, String message) {
    record(policy, "Warning", reason, message);
  }

  private void record(DnsCachePolicy policy, String type, String reason, String message) {
    String now = Instant.now().toString();
    try {
      client
          .v1()
          .events()
          .inNamespace(namespace)
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withName(
                      policy.getMetadata().getName()
                          + "."
                          + UUID.randomUUID().toString().substring(0, 8))
                  .withNamespace(namespace)
                  .endMetadata()
                  .withInvolvedObject(
                      new ObjectReferenceBuilder()
                          .withApiVersion(policy.getApiVersion())
                          .withKind(policy.getKind())
                          .withName(policy.getMetadata().getName())
                          .withUid(policy.getMetadata().getUid())
                          .build())
                  .withType(type)
                  .withReason(reason)
                  .withMessage(message)
                  .withFirstTimestamp(now)
                  .withLastTimestamp(now)
                  .withCount(1)
                  .withNewSource()
                  .withComponent("nodecache-operator")
                  .endSource()
                  .build())
          .create();
    } catch (KubernetesClientException e) {
      log.warn(
          "cannot record event {} on {}: {}",
          reason,
          policy.getMetadata().getName(),
          e.getMessage());
    }
    log.info("{} {} on {}: {}", type, reason, policy.getMetadata().getName(), message);
  }
}
