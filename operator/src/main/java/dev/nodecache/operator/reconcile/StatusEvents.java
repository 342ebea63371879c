package dev.nodecache.operator.reconcile;

import dev.nodecache.api.DnsCachePolicy;
import dev.nodecache.api.DnsCachePolicyStatus;
import dev.nodecache.api.DnsCachePolicyStatus.Flush;
import dev.nodecache.operator.flush.FlushProgress;
import dev.nodecache.operator.status.PolicyConditions;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The Events that tell a policy's story in {@code kubectl describe}: a warning when the policy
 * becomes conflicting or degraded (once per reason, never for agents that are merely starting), a
 * normal event when it becomes ready, and one per flush phase.
 */
final class StatusEvents {
  private final PolicyEvents events;
  private final Consumer<String> flushOutcome;

  StatusEvents(PolicyEvents events, Consumer<String> flushOutcome) {
    this.events = events;
    this.flushOutcome = flushOutcome;
  }

  void announce(DnsCachePolicy policy, DnsCachePolicyStatus before, DnsCachePolicyStatus after) {
    for (String type : List.of(PolicyConditions.CONFLICT, PolicyConditions.DEGRADED)) {
      Condition now = PolicyConditions.find(after, type);
      if (now != null && now.getStatus().equals("True") && changed(before, now)) {
        events.warning(policy, now.getReason(), now.getMessage());
      }
    }
    Condition ready = PolicyConditions.find(after, PolicyConditions.READY);
    if (ready != null
        && ready.getStatus().equals("True")
        && before != null
        && changed(before, ready)) {
      events.normal(policy, ready.getReason(), ready.getMessage());
    }
    announceFlush(policy, before == null ? null : before.lastFlush, after.lastFlush);
  }

  private static boolean changed(DnsCachePolicyStatus before, Condition now) {
    Condition was = PolicyConditions.find(before, now.getType());
    return was == null
        || !Objects.equals(was.getStatus(), now.getStatus())
        || !Objects.equals(was.getReason(), now.getReason());
  }

  private void announceFlush(DnsCachePolicy policy, Flush before, Flush after) {
    if (after == null
        || (before != null
            && Objects.equals(before.id, after.id)
            && Objects.equals(before.phase, after.phase))) {
      return;
    }
    String scope =
        after.names == null || after.names.isEmpty() ? "everything" : String.join(",", after.names);
    switch (after.phase) {
      case FlushProgress.IN_PROGRESS ->
          events.normal(
              policy,
              "FlushStarted",
              "Flush " + after.id + " of " + scope + " sent to the agents.");
      case FlushProgress.COMPLETED -> {
        flushOutcome.accept("completed");
        events.normal(
            policy,
            "FlushCompleted",
            "Flush " + after.id + " acknowledged by " + after.acknowledged + " node(s).");
      }
      case FlushProgress.FAILED -> {
        flushOutcome.accept("failed");
        events.warning(
            policy,
            after.message != null ? "FlushRefused" : "FlushFailed",
            after.message != null
                ? "Flush " + after.id + ": " + after.message
                : "Flush "
                    + after.id
                    + " acknowledged by "
                    + after.acknowledged
                    + " node(s), failed on "
                    + String.join(", ", after.failedNodes)
                    + "; those agents flush when they next read their config.");
      }
      default -> {}
    }
  }
}
