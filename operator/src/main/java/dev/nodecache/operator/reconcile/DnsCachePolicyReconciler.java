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
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
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
@ControllerConfiguration(name = "dnscachepolicy")
public final class DnsCachePolicyReconciler implements Reconciler<DnsCachePolicy> {
  private final Workflow<DnsCachePolicy> workflow;
  private final PolicyEvents events;
  private final Clock clock;

  public DnsCachePolicyReconciler(OperatorSettings settings, PolicyEvents events, Clock clock) {
    this.events = events;
    this.clock = clock;
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
    return EventSourceUtils.eventSourcesFromWorkflow(context, workflow);
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
    if (conflictWith.isEmpty()) {
      PolicyValidator.Result result =
          PolicyValidator.validate(policy, ServiceRefs.resolve(policy, context.getClient()));
      if (result.valid()) {
        new RenderedConfig(result.config(), AgentConfigRenderer.toText(result.config()),
            AgentConfigRenderer.restartChecksum(result.config())).putInto(context);
        workflow.reconcile(policy, context);
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
        clock.instant());
    announceChanges(policy, previous, status);
    if (sameStatus(previous, status)) {
      return UpdateControl.noUpdate();
    }
    DnsCachePolicy patch = new DnsCachePolicy();
    patch.setMetadata(new ObjectMetaBuilder().withName(policy.getMetadata().getName()).build());
    patch.setStatus(status);
    return UpdateControl.patchStatus(patch);
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
