package dev.nodecache.operator.flush;

import dev.nodecache.api.DnsCachePolicy;
import dev.nodecache.operator.PolicyNames;
import dev.nodecache.operator.render.AgentConfigRenderer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** The agents of a policy as the operator reaches them: one per pod with an IP. */
public final class AgentPods {
  private AgentPods() {}

  public static List<AgentEndpoint> endpoints(
      KubernetesClient client, String namespace, DnsCachePolicy policy) {
    List<AgentEndpoint> out = new ArrayList<>();
    int port = AgentConfigRenderer.adminPort(policy);
    for (Pod p :
        client
            .pods()
            .inNamespace(namespace)
            .withLabels(PolicyNames.selector(policy))
            .list()
            .getItems()) {
      if (p.getMetadata().getDeletionTimestamp() != null
          || p.getStatus() == null
          || p.getStatus().getPodIP() == null) {
        continue;
      }
      String node =
          p.getSpec() != null && p.getSpec().getNodeName() != null
              ? p.getSpec().getNodeName()
              : p.getMetadata().getName();
      out.add(new AgentEndpoint(node, p.getStatus().getPodIP(), port));
    }
    out.sort(java.util.Comparator.comparing(AgentEndpoint::node));
    return out;
  }

  /** The admin token of the policy's agents, or null if its Secret is not there yet. */
  public static String token(Secret secret) {
    if (secret == null) {
      return null;
    }
    if (secret.getData() != null && secret.getData().get(PolicyNames.TOKEN_KEY) != null) {
      return new String(
              Base64.getDecoder().decode(secret.getData().get(PolicyNames.TOKEN_KEY)),
              StandardCharsets.UTF_8)
          .trim();
    }
    if (secret.getStringData() != null) {
      return secret.getStringData().get(PolicyNames.TOKEN_KEY);
    }
    return null;
  }
}
