package dev.nodecache.operator.invalidation;

import dev.nodecache.api.DnsCachePolicy;
import dev.nodecache.operator.PolicyNames;
import dev.nodecache.operator.flush.AgentEndpoint;
import dev.nodecache.operator.flush.AgentPods;
import dev.nodecache.operator.render.AgentConfigRenderer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The agents to keep up to date: every policy that follows the API (enabled, forwarding the cluster
 * domain, a valid spec), its running agent pods and its admin token, from informers, so that a
 * batch never waits for an API call. Tokens are read once per policy and again after an agent
 * refused one.
 */
final class AgentTargets implements AutoCloseable {
  /** One policy's agents as the publisher reaches them. */
  record Target(DnsCachePolicy policy, String domain, String token, List<Agent> agents) {}

  /** One agent: a stable key (policy and pod uid) and where its admin API is. */
  record Agent(String key, AgentEndpoint endpoint) {}

  private final KubernetesClient client;
  private final String namespace;
  private final SharedIndexInformer<DnsCachePolicy> policies;
  private final SharedIndexInformer<Pod> pods;
  private final Map<String, String> tokens = new HashMap<>();

  /** Policies whose Secret was not there, and when to look again (nanos). */
  private final Map<String, Long> noTokenUntil = new HashMap<>();

  AgentTargets(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
    this.policies = client.resources(DnsCachePolicy.class).inform();
    this.pods =
        client
            .pods()
            .inNamespace(namespace)
            .withLabel("app.kubernetes.io/name", "nodecache-agent")
            .inform();
  }

  /** Called from the publisher's thread only. */
  List<Target> current() {
    Map<String, List<Agent>> byPolicy = new HashMap<>();
    for (Pod p : pods.getStore().list()) {
      var labels = p.getMetadata().getLabels();
      String policy = labels == null ? null : labels.get(PolicyNames.POLICY_LABEL);
      if (policy == null
          || p.getMetadata().getDeletionTimestamp() != null
          || p.getStatus() == null
          || p.getStatus().getPodIP() == null) {
        continue;
      }
      String node =
          p.getSpec() != null && p.getSpec().getNodeName() != null
              ? p.getSpec().getNodeName()
              : p.getMetadata().getName();
      byPolicy
          .computeIfAbsent(policy, k -> new ArrayList<>())
          .add(
              new Agent(
                  policy + "/" + p.getMetadata().getUid() + "/" + p.getStatus().getPodIP(),
                  new AgentEndpoint(node, p.getStatus().getPodIP(), 0)));
    }
    List<Target> out = new ArrayList<>();
    for (DnsCachePolicy policy : policies.getStore().list()) {
      if (policy.getSpec() == null
          || policy.getSpec().listen == null
          || !InvalidationSettings.follows(policy.getSpec())) {
        continue;
      }
      String token = token(policy);
      if (token == null) {
        continue;
      }
      int port = AgentConfigRenderer.adminPort(policy);
      List<Agent> agents = new ArrayList<>();
      for (Agent a : byPolicy.getOrDefault(policy.getMetadata().getName(), List.of())) {
        agents.add(
            new Agent(a.key(), new AgentEndpoint(a.endpoint().node(), a.endpoint().host(), port)));
      }
      out.add(new Target(policy, InvalidationSettings.domain(policy.getSpec()), token, agents));
    }
    return out;
  }

  /** An agent refused the token: read it again next time (the Secret may have been replaced). */
  void tokenRefused(String policy) {
    tokens.remove(policy);
  }

  private String token(DnsCachePolicy policy) {
    String name = policy.getMetadata().getName();
    String token = tokens.get(name);
    long now = System.nanoTime();
    if (token == null && noTokenUntil.getOrDefault(name, now) - now <= 0) {
      Secret s;
      try {
        s = client.secrets().inNamespace(namespace).withName(PolicyNames.token(policy)).get();
      } catch (RuntimeException e) {
        noTokenUntil.put(name, now + 1_000_000_000L); // the API is unreachable: soon again
        return null;
      }
      token = AgentPods.token(s);
      if (token != null) {
        tokens.put(name, token);
        noTokenUntil.remove(name);
      } else {
        noTokenUntil.put(name, now + 1_000_000_000L);
      }
    }
    return token;
  }

  /** For events: the policy object by name, or null. */
  DnsCachePolicy policy(String name) {
    return policies.getStore().getByKey(name);
  }

  @Override
  public void close() {
    policies.close();
    pods.close();
  }
}
