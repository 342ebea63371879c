package dev.nodecache.operator.render;

import dev.nodecache.agent.config.MemoryRule;
import dev.nodecache.api.DnsCachePolicySpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import java.util.Map;
import java.util.TreeMap;

/**
 * The agent pods' memory from the policy, by the agent's {@link MemoryRule}: the limit the user
 * gives in {@code agent.resources.limits.memory} (or the one {@code cache.maxEntries} needs), the
 * request equal to it unless given, and the JVM flags and cache bytes that keep the agent in it.
 */
public final class AgentMemory {
  static final int DEFAULT_MAX_ENTRIES = 100_000;

  private AgentMemory() {}

  /**
   * The rule for this spec; {@link IllegalArgumentException} naming the field when it cannot be.
   */
  public static MemoryRule of(DnsCachePolicySpec spec) {
    int maxEntries =
        spec.cache == null || spec.cache.maxEntries == null
            ? DEFAULT_MAX_ENTRIES
            : spec.cache.maxEntries;
    Quantity limit = given(spec, false);
    Quantity request = given(spec, true);
    if (limit == null) {
      MemoryRule rule = MemoryRule.forEntries(maxEntries);
      if (request != null && bytes(request, "requests") > rule.limitBytes()) {
        // The API server refuses a request above the limit: the request is the limit then.
        return MemoryRule.forLimit(bytes(request, "requests"), maxEntries);
      }
      return rule;
    }
    long bytes = bytes(limit, "limits");
    if (request != null && bytes(request, "requests") > bytes) {
      throw new IllegalArgumentException(
          "agent.resources.requests.memory: "
              + request
              + " must not be more than agent.resources.limits.memory "
              + limit);
    }
    return MemoryRule.forLimit(bytes, maxEntries);
  }

  private static long bytes(Quantity q, String which) {
    try {
      return Quantity.getAmountInBytes(q).longValueExact();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "agent.resources." + which + ".memory: not a memory quantity: " + q);
    }
  }

  /** The container's resources: the user's, with the memory limit and request of the rule. */
  public static ResourceRequirements resources(DnsCachePolicySpec spec, MemoryRule rule) {
    ResourceRequirements user =
        spec.agent == null || spec.agent.resources == null
            ? new ResourceRequirements()
            : spec.agent.resources;
    Map<String, Quantity> requests =
        new TreeMap<>(user.getRequests() == null ? Map.of() : user.getRequests());
    Map<String, Quantity> limits =
        new TreeMap<>(user.getLimits() == null ? Map.of() : user.getLimits());
    Quantity request = given(spec, true);
    // A request that became the limit is kept as written (whole MiB could round it below itself).
    Quantity limit =
        request != null && bytes(request, "requests") >= rule.limitBytes()
            ? request
            : new Quantity(MemoryRule.mib(rule.limitBytes()));
    if (requests.isEmpty()) {
      requests.put("cpu", new Quantity("50m"));
    }
    requests.put("memory", request == null ? limit : request);
    limits.put("memory", limits.containsKey("memory") ? limits.get("memory") : limit);
    return new ResourceRequirementsBuilder().withRequests(requests).withLimits(limits).build();
  }

  private static Quantity given(DnsCachePolicySpec spec, boolean request) {
    if (spec.agent == null || spec.agent.resources == null) {
      return null;
    }
    Map<String, Quantity> m =
        request ? spec.agent.resources.getRequests() : spec.agent.resources.getLimits();
    return m == null ? null : m.get("memory");
  }
}
