package dev.nodecache.operator;

import java.util.List;
import java.util.Set;

/**
 * Every Kubernetes API call the operator makes, as RBAC rules: the Helm chart grants exactly these
 * (a test compares them), so a new call here without a chart change fails the build.
 */
public final class OperatorPermissions {
  /** One permission; {@code clusterWide}: ClusterRole, else a Role in the operator namespace. */
  public record Rule(String apiGroup, String resource, Set<String> verbs, boolean clusterWide) {}

  private static final Set<String> OWNED = Set.of("get", "list", "watch", "create", "update");

  public static final List<Rule> RULES =
      List.of(
          // The primary resource: informer (list, watch), reads, JOSDK's patches.
          new Rule(
              "nodecache.dev", "dnscachepolicies", Set.of("get", "list", "watch", "patch"), true),
          // Status written by the reconciler (JSON merge patch).
          new Rule("nodecache.dev", "dnscachepolicies/status", Set.of("patch"), true),
          // render.ServiceRefs: an upstream serviceRef may name any namespace.
          new Rule("", "services", Set.of("get"), true),
          // invalidation.ClusterWatch: what cluster DNS answers follows Services and
          // EndpointSlices of every namespace (read-only informers).
          new Rule("", "services", Set.of("list", "watch"), true),
          new Rule("discovery.k8s.io", "endpointslices", Set.of("list", "watch"), true),
          // The dependents (informers, create, update); deletion is the garbage collector's.
          new Rule("", "configmaps", OWNED, false),
          new Rule("", "secrets", OWNED, false),
          new Rule("", "serviceaccounts", OWNED, false),
          new Rule("", "services", OWNED, false),
          new Rule("apps", "daemonsets", OWNED, false),
          // flush.AgentPods: the agents' pod IPs; invalidation.AgentTargets follows them.
          new Rule("", "pods", Set.of("list", "watch"), false),
          // reconcile.PolicyEvents.
          new Rule("", "events", Set.of("create"), false),
          // Leader election (JOSDK's LeaderElectionManager).
          new Rule("coordination.k8s.io", "leases", Set.of("get", "create", "update"), false));

  private OperatorPermissions() {}
}
