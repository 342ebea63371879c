package dev.nodecache.operator.render;

import dev.nodecache.api.DnsCachePolicy;
import dev.nodecache.api.UpstreamGroup;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.LinkedHashMap;
import java.util.Map;

/** Resolves a policy's upstream service references to ClusterIPs, as a node would reach them. */
public final class ServiceRefs {
  /**
   * The ClusterIPs found (with ":port" when the Service's port is not 53), and what could not be
   * resolved (empty when all were).
   */
  public record Resolved(Map<String, String> ips, String problem) {}

  private ServiceRefs() {}

  public static Resolved resolve(DnsCachePolicy policy, KubernetesClient client) {
    Map<String, String> ips = new LinkedHashMap<>();
    for (UpstreamGroup g : policy.getSpec().upstreams) {
      if (g.serviceRef == null) {
        continue;
      }
      String key = AgentConfigRenderer.key(g.serviceRef);
      Service s =
          client.services().inNamespace(g.serviceRef.namespace).withName(g.serviceRef.name).get();
      String ip = s == null || s.getSpec() == null ? null : s.getSpec().getClusterIP();
      if (ip == null || ip.isEmpty() || ip.equals("None")) {
        return new Resolved(
            ips,
            "upstream serviceRef "
                + key
                + (s == null ? " does not exist" : " has no ClusterIP (headless?)"));
      }
      int port =
          s.getSpec().getPorts() == null || s.getSpec().getPorts().isEmpty()
              ? 53
              : s.getSpec().getPorts().get(0).getPort();
      ips.put(key, port == 53 ? ip : ip + ":" + port);
    }
    return new Resolved(ips, "");
  }
}
