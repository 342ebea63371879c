package dev.nodecache.operator.status;

import dev.nodecache.api.DnsCachePolicyStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The status a policy shows, as a pure function of what was observed: the DaemonSet (or none),
 * whether the spec is valid, whether it conflicts with another policy. Conditions keep their
 * lastTransitionTime unless their status changes, so an unchanged world gives an equal status.
 */
public final class PolicyConditions {
  public static final String READY = "Ready";
  public static final String PROGRESSING = "Progressing";
  public static final String DEGRADED = "Degraded";
  public static final String CONFLICT = "Conflict";

  /**
   * What the reconciler observed. {@code invalidReason} "" = the spec is valid; {@code starting}:
   * the DaemonSet is new enough that agents not ready yet are still starting, not failing; {@code
   * ignoredFields}: fields of the stored spec this operator does not know.
   */
  public record Observed(
      long generation,
      DaemonSet daemonSet,
      String invalidReason,
      String invalidMessage,
      String conflictWith,
      boolean starting,
      List<String> ignoredFields) {}

  private PolicyConditions() {}

  public static DnsCachePolicyStatus compute(
      DnsCachePolicyStatus previous, Observed o, Instant now) {
    DnsCachePolicyStatus s = new DnsCachePolicyStatus();
    if (previous != null) {
      s.lastFlush = previous.lastFlush;
      s.migrations = previous.migrations;
    }
    s.observedGeneration = o.generation();
    DaemonSetStatus ds = o.daemonSet() == null ? null : o.daemonSet().getStatus();
    int desired =
        ds == null || ds.getDesiredNumberScheduled() == null ? 0 : ds.getDesiredNumberScheduled();
    int ready = ds == null || ds.getNumberReady() == null ? 0 : ds.getNumberReady();
    int updated =
        ds == null || ds.getUpdatedNumberScheduled() == null ? 0 : ds.getUpdatedNumberScheduled();
    if (o.daemonSet() != null) {
      s.nodes = new DnsCachePolicyStatus.Nodes();
      s.nodes.desired = desired;
      s.nodes.ready = ready;
      s.nodes.updated = updated;
      s.nodes.summary = ready + "/" + desired;
    }
    boolean conflict = !o.conflictWith().isEmpty();
    boolean invalid = !o.invalidReason().isEmpty();
    boolean rollingOut =
        o.daemonSet() != null
            && (updated < desired
                || (ds != null
                    && ds.getObservedGeneration() != null
                    && ds.getObservedGeneration() < o.daemonSet().getMetadata().getGeneration()));
    boolean allReady = o.daemonSet() != null && desired > 0 && ready == desired && !rollingOut;
    boolean scheduled = ds != null && ds.getObservedGeneration() != null;
    boolean starting =
        o.daemonSet() != null && !rollingOut && (!scheduled || (o.starting() && ready < desired));

    List<Condition> prev = previous == null ? List.of() : previous.conditions;
    List<Condition> out = new ArrayList<>();
    if (conflict) {
      out.add(
          condition(
              prev,
              CONFLICT,
              true,
              "NodeSelectorOverlap",
              "Its node selector selects nodes of policy "
                  + o.conflictWith()
                  + ", which was there first; no agents run for this policy until the selectors"
                  + " no longer overlap.",
              now));
    } else {
      out.add(
          condition(
              prev, CONFLICT, false, "NoOverlap", "No other policy selects the same nodes.", now));
    }
    if (conflict) {
      out.add(condition(prev, READY, false, "Conflict", "See the Conflict condition.", now));
    } else if (o.daemonSet() == null) {
      out.add(
          condition(
              prev,
              READY,
              false,
              invalid ? o.invalidReason() : "DaemonSetMissing",
              invalid ? o.invalidMessage() : "The agent DaemonSet does not exist yet.",
              now));
    } else if (starting) {
      out.add(
          condition(
              prev,
              READY,
              false,
              "Starting",
              ready + "/" + desired + " nodes run a ready agent; the agents are starting.",
              now));
    } else if (desired == 0) {
      out.add(
          condition(
              prev,
              READY,
              false,
              "NoNodesSelected",
              "No node matches the node selector (or tolerates its taints).",
              now));
    } else if (allReady) {
      out.add(
          condition(
              prev,
              READY,
              true,
              "AllNodesReady",
              ready + "/" + desired + " nodes run a ready agent.",
              now));
    } else {
      out.add(
          condition(
              prev,
              READY,
              false,
              rollingOut ? "RollingOut" : "NodesNotReady",
              ready
                  + "/"
                  + desired
                  + " nodes run a ready agent; look at the agent pods"
                  + " (kubectl get pods -l nodecache.dev/policy) of the others.",
              now));
    }
    out.add(
        condition(
            prev,
            PROGRESSING,
            rollingOut,
            rollingOut ? "RollingOut" : "UpToDate",
            rollingOut
                ? updated + "/" + desired + " nodes run the current agent."
                : "Every node runs the current agent.",
            now));
    if (invalid) {
      out.add(
          condition(
              prev,
              DEGRADED,
              true,
              o.invalidReason(),
              o.invalidMessage()
                  + (o.daemonSet() == null
                      ? ""
                      : " The running agents keep their last good config."),
              now));
    } else if (o.daemonSet() != null
        && desired > 0
        && ready < desired
        && !rollingOut
        && !starting) {
      out.add(
          condition(
              prev,
              DEGRADED,
              true,
              "NodesNotReady",
              (desired - ready) + " of " + desired + " nodes have no ready agent.",
              now));
    } else if (!o.ignoredFields().isEmpty()) {
      out.add(
          condition(
              prev,
              DEGRADED,
              true,
              "IgnoredFields",
              "Not fields of DnsCachePolicy "
                  + dev.nodecache.api.DnsCachePolicy.VERSION
                  + ", ignored: "
                  + String.join(", ", o.ignoredFields())
                  + " (a typo, or written for a newer NodeCache).",
              now));
    } else {
      out.add(condition(prev, DEGRADED, false, "AsExpected", "Nothing is wrong.", now));
    }
    s.conditions = out;
    s.state = state(out, conflict, rollingOut);
    return s;
  }

  /** The Status column: the worst of the conditions, in a word or two. */
  static String state(List<Condition> conditions, boolean conflict, boolean rollingOut) {
    if (conflict) {
      return CONFLICT;
    }
    Condition degraded =
        conditions.stream().filter(c -> c.getType().equals(DEGRADED)).findFirst().orElseThrow();
    Condition ready =
        conditions.stream().filter(c -> c.getType().equals(READY)).findFirst().orElseThrow();
    if (degraded.getStatus().equals("True")) {
      return DEGRADED + ": " + degraded.getReason();
    }
    if (ready.getStatus().equals("True")) {
      return READY;
    }
    if (rollingOut) {
      return PROGRESSING + ": RollingOut";
    }
    return ready.getReason().equals("Starting") ? "Starting" : "NotReady: " + ready.getReason();
  }

  /** The condition, with the previous lastTransitionTime unless its status changed. */
  static Condition condition(
      List<Condition> previous,
      String type,
      boolean status,
      String reason,
      String message,
      Instant now) {
    String value = status ? "True" : "False";
    String since = now.toString();
    for (Condition c : previous) {
      if (c.getType().equals(type) && Objects.equals(c.getStatus(), value)) {
        since = c.getLastTransitionTime();
      }
    }
    return new ConditionBuilder()
        .withType(type)
        .withStatus(value)
        .withReason(reason)
        .withMessage(message)
        .withLastTransitionTime(since)
        .build();
  }

  public static Condition find(DnsCachePolicyStatus status, String type) {
    if (status == null || status.conditions == null) {
      return null;
    }
    return status.conditions.stream()
        .filter(c -> c.getType().equals(type))
        .findFirst()
        .orElse(null);
  }
}
