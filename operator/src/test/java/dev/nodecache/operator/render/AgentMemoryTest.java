package dev.nodecache.operator.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodecache.agent.config.MemoryRule;
import dev.nodecache.api.AgentSpec;
import dev.nodecache.api.DnsCachePolicy;
import dev.nodecache.operator.Fixtures;
import dev.nodecache.operator.dependent.AgentDaemonSetDependent;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The agent's memory limit, request, JVM flags and cache bytes come from the policy by one rule.
 */
class AgentMemoryTest {
  final DnsCachePolicy policy = Fixtures.examplePolicy("default-policy.yaml");

  Container agent() {
    return AgentDaemonSetDependent.desired(policy, "x", Fixtures.SETTINGS)
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(0);
  }

  static String env(Container c, String name) {
    return c.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst().get().getValue();
  }

  PolicyValidator.Result validate() {
    return PolicyValidator.validate(policy, new ServiceRefs.Resolved(Map.of(), ""));
  }

  void resources(ResourceRequirements r) {
    policy.getSpec().agent =
        policy.getSpec().agent == null ? new AgentSpec() : policy.getSpec().agent;
    policy.getSpec().agent.resources = r;
  }

  @Test
  void withoutResourcesTheLimitIsWhatMaxEntriesNeedsAndTheRequestEqualsIt() {
    policy.getSpec().cache.maxEntries = 200_000;
    MemoryRule rule = MemoryRule.forEntries(200_000);
    Container c = agent();
    Quantity limit = new Quantity(MemoryRule.mib(rule.limitBytes()));
    assertEquals(limit, c.getResources().getLimits().get("memory"));
    assertEquals(limit, c.getResources().getRequests().get("memory"));
    assertEquals(new Quantity("50m"), c.getResources().getRequests().get("cpu"));
    assertTrue(
        env(c, "JAVA_TOOL_OPTIONS").startsWith(rule.javaOptions()), env(c, "JAVA_TOOL_OPTIONS"));
    assertEquals(
        rule.cacheBytes(), validate().parsed().cache().maxBytes(), "the config's cache.maxBytes");
  }

  @Test
  void aGivenLimitAndRequestAreKeptAndTheHeapFollowsTheLimit() {
    resources(
        new ResourceRequirementsBuilder()
            .withRequests(Map.of("cpu", new Quantity("100m"), "memory", new Quantity("200Mi")))
            .withLimits(Map.of("memory", new Quantity("0.25Gi")))
            .build());
    Container c = agent();
    assertEquals(new Quantity("0.25Gi"), c.getResources().getLimits().get("memory"));
    assertEquals(new Quantity("200Mi"), c.getResources().getRequests().get("memory"));
    assertEquals(new Quantity("100m"), c.getResources().getRequests().get("cpu"));
    MemoryRule rule = MemoryRule.forLimit(256L << 20, policy.getSpec().cache.maxEntries);
    assertTrue(env(c, "JAVA_TOOL_OPTIONS").startsWith(rule.javaOptions()));
    assertEquals(rule.cacheBytes(), validate().parsed().cache().maxBytes());
  }

  @Test
  void maxEntriesThatCannotFitTheLimitAreRefusedNamingBoth() {
    resources(
        new ResourceRequirementsBuilder()
            .withLimits(Map.of("memory", new Quantity("256Mi")))
            .build());
    policy.getSpec().cache.maxEntries = 5_000_000;
    PolicyValidator.Result r = validate();
    assertFalse(r.valid());
    assertEquals("InvalidSpec", r.reason());
    assertTrue(
        r.message()
            .startsWith(
                "spec.cache.maxEntries: 5000000 entries do not fit"
                    + " agent.resources.limits.memory 256Mi: at most "),
        r.message());
  }

  @Test
  void aLimitTooSmallForTheAgentIsRefused() {
    resources(
        new ResourceRequirementsBuilder()
            .withLimits(Map.of("memory", new Quantity("64Mi")))
            .build());
    PolicyValidator.Result r = validate();
    assertEquals(
        "spec.agent.resources.limits.memory: 64Mi is too small for the agent: at least "
            + MemoryRule.mib(MemoryRule.SMALLEST_LIMIT),
        r.message());
  }

  @Test
  void aRequestAboveTheGivenLimitIsRefusedAndWithoutALimitItBecomesTheLimit() {
    resources(
        new ResourceRequirementsBuilder()
            .withRequests(Map.of("memory", new Quantity("300Mi")))
            .withLimits(Map.of("memory", new Quantity("256Mi")))
            .build());
    assertEquals(
        "spec.agent.resources.requests.memory: 300Mi must not be more than"
            + " agent.resources.limits.memory 256Mi",
        validate().message());
    resources(
        new ResourceRequirementsBuilder()
            .withRequests(Map.of("memory", new Quantity("300Mi")))
            .build());
    Container c = agent();
    assertEquals(new Quantity("300Mi"), c.getResources().getLimits().get("memory"));
    assertEquals(new Quantity("300Mi"), c.getResources().getRequests().get("memory"));
    resources(
        new ResourceRequirementsBuilder()
            .withRequests(Map.of("memory", new Quantity("300000000")))
            .build());
    c = agent();
    assertEquals(new Quantity("300000000"), c.getResources().getLimits().get("memory"));
    assertEquals(new Quantity("300000000"), c.getResources().getRequests().get("memory"));
  }
}
