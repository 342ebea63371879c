package dev.nodecache.operator.status;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nodecache.api.DnsCachePolicyStatus;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The status as a pure function of what was observed: conditions and the Status column. */
class PolicyConditionsTest {
  static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");

  static DaemonSet ds(Integer desired, Integer ready) {
    DaemonSetBuilder b =
        new DaemonSetBuilder()
            .withNewMetadata()
            .withName("nodecache-default")
            .withGeneration(1L)
            .endMetadata();
    if (desired != null) {
      b.withStatus(
          new DaemonSetStatusBuilder()
              .withObservedGeneration(1L)
              .withDesiredNumberScheduled(desired)
              .withNumberReady(ready)
              .withUpdatedNumberScheduled(desired)
              .build());
    }
    return b.build();
  }

  static DnsCachePolicyStatus compute(
      DaemonSet ds, String invalid, String conflict, boolean young, List<String> ignored) {
    return PolicyConditions.compute(
        null,
        new PolicyConditions.Observed(
            1, ds, invalid, invalid.isEmpty() ? "" : "spec.x: bad", conflict, young, ignored),
        NOW);
  }

  static String reason(DnsCachePolicyStatus s, String type) {
    return PolicyConditions.find(s, type).getStatus()
        + "/"
        + PolicyConditions.find(s, type).getReason();
  }

  @Test
  void agentsThatAreStartingAreNeitherDegradedNorNoNodes() {
    DnsCachePolicyStatus unscheduled = compute(ds(null, null), "", "", true, List.of());
    assertEquals("False/Starting", reason(unscheduled, PolicyConditions.READY));
    assertEquals("False/AsExpected", reason(unscheduled, PolicyConditions.DEGRADED));
    assertEquals("Starting", unscheduled.state);
    DnsCachePolicyStatus oneOfThree = compute(ds(3, 1), "", "", true, List.of());
    assertEquals("False/Starting", reason(oneOfThree, PolicyConditions.READY));
    assertEquals("Starting", oneOfThree.state);
  }

  @Test
  void agentsNotReadyAfterTheGraceAreDegraded() {
    DnsCachePolicyStatus s = compute(ds(3, 2), "", "", false, List.of());
    assertEquals("True/NodesNotReady", reason(s, PolicyConditions.DEGRADED));
    assertEquals("Degraded: NodesNotReady", s.state);
    assertEquals("2/3", s.nodes.summary);
  }

  @Test
  void theStatusColumnShowsTheWorstCondition() {
    assertEquals("Ready", compute(ds(3, 3), "", "", false, List.of()).state);
    assertEquals(
        "Degraded: InvalidSpec",
        compute(ds(3, 3), "InvalidSpec", "", false, List.of()).state,
        "3/3 agents keep running the last good config, but the spec is refused");
    assertEquals("Conflict", compute(null, "", "first", false, List.of()).state);
    assertEquals("NotReady: NoNodesSelected", compute(ds(0, 0), "", "", false, List.of()).state);
    DnsCachePolicyStatus ignored = compute(ds(3, 3), "", "", false, List.of("spec.cache.maxTTL"));
    assertEquals("Degraded: IgnoredFields", ignored.state);
    assertEquals("True/AllNodesReady", reason(ignored, PolicyConditions.READY));
  }
}
