package dev.nodecache.operator.reconcile;

import dev.nodecache.api.DnsCachePolicy;
import dev.nodecache.api.DnsCachePolicyStatus;
import dev.nodecache.operator.OperatorSettings;
import dev.nodecache.operator.dependent.AdminTokenSecretDependent;
import dev.nodecache.operator.dependent.AgentConfigMapDependent;
import dev.nodecache.operator.dependent.AgentDaemonSetDependent;
import dev.nodecache.operator.dependent.AgentMetricsServiceDependent;
import dev.nodecache.operator.dependent.AgentServiceAccountDependent;
import dev.nodecache.operator.dependent.RenderedConfig;
import dev.nodecache.operator.render.AgentConfigRenderer;
import dev.nodecache.operator.render.PolicyValidator;
import dev.nodecache.operator.render.ServiceRefs;
import dev.nodecache.operator.status.PolicyConditions;
import dev.nodecache.api.DnsCachePolicyStatus.Flush;
import dev.nodecache.operator.flush.AgentAdminClient;
import dev.nodecache.operator.flush.AgentPods;
import dev.nodecache.operator.flush.FlushCoordinator;
import dev.nodecache.operator.flush.FlushProgress;
import dev.nodecache.operator.flush.MigrationProgress;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Workflow;
import io.javaoperatorsdk.operator.processing.dependent.workflow.WorkflowBuilder;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Observe, validate, reconcile: a policy that conflicts with an earlier one, or whose spec the
 * agent would refuse, gets that in its status and nothing else is touched (running agents keep
 * their last good config); otherwise its owned objects are brought to their desired state. The
 * status is patched only when it changed.
 */
// Not generation-aware (the flush annotations change metadata only and must be seen), but
// status-only updates (our own writes) are filtered out.
@ControllerConfiguration(
    name = "dnscachepolicy",
    generationAwareEventProcessing = false,
    informer = @Informer(onUpdateFilter = SpecOrAnnotationsChanged.class))
public final class DnsCachePolicyReconciler implements Reconciler<DnsCachePolicy> {
  private static final Duration SECRET_WAIT = Duration.ofSeconds(1);

  private final Workflow<DnsCachePolicy> workflow;
  private final OperatorSettings settings;
  private final PolicyEvents events;
  private final Clock clock;
  private final FlushProgress flushes;
  private final MigrationProgress migrations;
  private final java.util.function.Consumer<String> flushOutcome;
  /** Wakes a policy up when one of its flushes has ended. */
  private final SimpleInboundEventSource<DnsCachePolicy> wakeUp =
      new SimpleInboundEventSource<>("flush-done");

  public DnsCachePolicyReconciler(OperatorSettings settings, PolicyEvents events, Clock clock,
      FlushCoordinator coordinator, AgentAdminClient admin,
      java.util.function.Consumer<String> flushOutcome) {
    this.flushOutcome = flushOutcome;
    this.settings = settings;
    this.events = events;
    this.clock = clock;
    this.flushes = new FlushProgress(coordinator);
    this.migrations = new MigrationProgress(coordinator, admin);
    this.workflow =
        new WorkflowBuilder<DnsCachePolicy>()
            .addDependentResource(new AgentServiceAccountDependent(settings.namespace()))
            .addDependentResource(new AdminTokenSecretDependent(settings.namespace()))
            .addDependentResource(new AgentConfigMapDependent(settings.namespace()))
            .addDependentResource(new AgentDaemonSetDependent(settings))
            .addDependentResource(new AgentMetricsServiceDependent(settings.namespace()))
            .build();
  }

  @Override
  public List<EventSource<?, DnsCachePolicy>> prepareEventSources(
      EventSourceContext<DnsCachePolicy> context) {
    List<EventSource<?, DnsCachePolicy>> sources =
        new ArrayList<>(EventSourceUtils.eventSourcesFromWorkflow(context, workflow));
    sources.add(wakeUp);
    return sources;
  }

  @Override
  public UpdateControl<DnsCachePolicy> reconcile(
      DnsCachePolicy policy, Context<DnsCachePolicy> context) {
    DnsCachePolicyStatus previous = policy.getStatus();
    Optional<DnsCachePolicy> earlier =
        SelectorOverlap.earlierOverlapping(policy, context.getPrimaryCache().list());
    String conflictWith = earlier.map(p -> p.getMetadata().getName()).orElse("");
    String invalidReason = "";
    String invalidMessage = "";
    Instant now = clock.instant();
    Flush lastFlush = previous == null ? null : previous.lastFlush;
    MigrationProgress.Result migrating = null;
    if (conflictWith.isEmpty()) {
      PolicyValidator.Result result =
          PolicyValidator.validate(policy, ServiceRefs.resolve(policy, context.getClient()));
      if (result.valid()) {
        new RenderedConfig(result.config(), AgentConfigRenderer.toText(result.config()),
            AgentConfigRenderer.restartChecksum(result.config())).putInto(context);
        workflow.reconcile(policy, context);
        FlushProgress.Agents agents = agents(policy, context);
        lastFlush = flushes.next(policy, lastFlush, agents, now);
        migrating = migrations.next(policy, result.parsed(),
            previous == null ? null : previous.migrations, agents, now);
      } else {
        invalidReason = result.reason();
        invalidMessage = result.message();
      }
    }
    DaemonSet ds = context.getSecondaryResource(DaemonSet.class).orElse(null);
    DnsCachePolicyStatus status = PolicyConditions.compute(previous,
        new PolicyConditions.Observed(policy.getMetadata().getGeneration() == null ? 0
            : policy.getMetadata().getGeneration(), ds, invalidReason, invalidMessage,
            conflictWith),
        now);
    status.lastFlush = lastFlush;
    if (migrating != null) {
      status.migrations = migrating.statuses();
    }
    announceChanges(policy, previous, status);
    announceFlush(policy, previous == null ? null : previous.lastFlush, lastFlush);
    Duration recheck = migrating == null ? null : migrating.nextCheck();
    if (lastFlush != null && FlushProgress.PENDING.equals(lastFlush.phase)) {
      recheck = recheck == null || recheck.compareTo(SECRET_WAIT) > 0 ? SECRET_WAIT : recheck;
    }
    UpdateControl<DnsCachePolicy> control;
    if (sameStatus(previous, status)) {
      control = UpdateControl.noUpdate();
    } else {
      DnsCachePolicy patch = new DnsCachePolicy();
      patch.setMetadata(new ObjectMetaBuilder().withName(policy.getMetadata().getName()).build());
      patch.setStatus(status);
      control = UpdateControl.patchStatus(patch);
    }
    if (recheck != null) {
      control.rescheduleAfter(recheck.isNegative() ? Duration.ZERO : recheck);
    }
    return control;
  }

  /** How to reach this policy's agents now: their pods' IPs, and the token from the Secret. */
  private FlushProgress.Agents agents(DnsCachePolicy policy, Context<DnsCachePolicy> context) {
    Secret secret = context.getSecondaryResource(Secret.class).orElse(null);
    ResourceID id = ResourceID.fromResource(policy);
    return new FlushProgress.Agents(
        () -> AgentPods.endpoints(context.getClient(), settings.namespace(), policy),
        AgentPods.token(secret),
        run -> wakeUp.propagateEvent(id));
  }

  private void announceFlush(DnsCachePolicy policy, Flush before, Flush after) {
    if (after == null || (before != null && Objects.equals(before.id, after.id)
        && Objects.equals(before.phase, after.phase))) {
      return;
    }
    String scope = after.names == null || after.names.isEmpty() ? "everything"
        : String.join(",", after.names);
    switch (after.phase) {
      case FlushProgress.IN_PROGRESS -> events.normal(policy, "FlushStarted",
          "Flush " + after.id + " of " + scope + " sent to the agents.");
      case FlushProgress.COMPLETED -> {
        flushOutcome.accept("completed");
        events.normal(policy, "FlushCompleted",
            "Flush " + after.id + " acknowledged by " + after.acknowledged + " node(s).");
      }
      case FlushProgress.FAILED -> {
        flushOutcome.accept("failed");
        events.warning(policy, "FlushFailed",
          "Flush " + after.id + " acknowledged by " + after.acknowledged + " node(s), failed on "
              + String.join(", ", after.failedNodes)
              + "; those agents flush when they next read their config.");
      }
      default -> {}
    }
  }

  /** An Event for each condition that turned bad or good, so kubectl describe tells the story. */
  private void announceChanges(
      DnsCachePolicy policy, DnsCachePolicyStatus previous, DnsCachePolicyStatus now) {
    for (String type : List.of(PolicyConditions.CONFLICT, PolicyConditions.DEGRADED,
        PolicyConditions.READY)) {
      Condition before = PolicyConditions.find(previous, type);
      Condition after = PolicyConditions.find(now, type);
      if (after == null || (before != null && Objects.equals(before.getStatus(), after.getStatus())
          && Objects.equals(before.getReason(), after.getReason()))) {
        continue;
      }
      boolean bad = type.equals(PolicyConditions.READY) ? after.getStatus().equals("False")
          : after.getStatus().equals("True");
      if (bad && !after.getReason().equals("DaemonSetMissing")
          && !after.getReason().equals("RollingOut")) {
        events.warning(policy, after.getReason(), after.getMessage());
      } else if (!bad && before != null && type.equals(PolicyConditions.READY)) {
        events.normal(policy, after.getReason(), after.getMessage());
      }
    }
  }

  static boolean sameStatus(DnsCachePolicyStatus a, DnsCachePolicyStatus b) {
    return a != null
        && io.fabric8.kubernetes.client.utils.Serialization.asJson(a)
            .equals(io.fabric8.kubernetes.client.utils.Serialization.asJson(b));
  }
}
