package dev.nodecache.operator.reconcile;

import dev.nodecache.api.DnsCachePolicy;
import dev.nodecache.api.DnsCachePolicyStatus;
import dev.nodecache.api.DnsCachePolicyStatus.Flush;
import dev.nodecache.api.DnsCachePolicyStatus.InvalidationStatus;
import dev.nodecache.api.DnsCachePolicyStatus.MigrationStatus;
import dev.nodecache.operator.OperatorSettings;
import dev.nodecache.operator.dependent.AdminTokenSecretDependent;
import dev.nodecache.operator.dependent.AgentConfigMapDependent;
import dev.nodecache.operator.dependent.AgentDaemonSetDependent;
import dev.nodecache.operator.dependent.AgentMetricsServiceDependent;
import dev.nodecache.operator.dependent.AgentServiceAccountDependent;
import dev.nodecache.operator.dependent.RenderedConfig;
import dev.nodecache.operator.flush.AgentAdminClient;
import dev.nodecache.operator.flush.AgentPods;
import dev.nodecache.operator.flush.FlushCoordinator;
import dev.nodecache.operator.flush.FlushProgress;
import dev.nodecache.operator.flush.MigrationProgress;
import dev.nodecache.operator.invalidation.InvalidationSettings;
import dev.nodecache.operator.read.ReadProblems;
import dev.nodecache.operator.render.AgentConfigRenderer;
import dev.nodecache.operator.render.PolicyValidator;
import dev.nodecache.operator.render.ServiceRefs;
import dev.nodecache.operator.status.PolicyConditions;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceUtils;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Workflow;
import io.javaoperatorsdk.operator.processing.dependent.workflow.WorkflowBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.javaoperatorsdk.operator.processing.retry.GradualRetry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Observe, validate, reconcile. A policy that cannot be read, conflicts with an earlier one, or
 * whose spec the agent would refuse gets that in its status and nothing else is touched (running
 * agents keep their last good config); otherwise its owned objects are brought to their desired
 * state and its flushes and migrations moved on. The status is written when it changed, by {@link
 * StatusWriter}.
 */
// Not generation-aware: the flush annotations change metadata only and must be seen. Our own
// status writes are filtered out. Failed reconciles are retried without end (a status that
// cannot be written now must be written later), and every policy is looked at every 5 minutes.
@ControllerConfiguration(
    name = "dnscachepolicy",
    generationAwareEventProcessing = false,
    informer = @Informer(onUpdateFilter = SpecOrAnnotationsChanged.class),
    maxReconciliationInterval =
        @MaxReconciliationInterval(interval = 5, timeUnit = TimeUnit.MINUTES))
@GradualRetry(maxAttempts = -1, initialInterval = 500, intervalMultiplier = 2, maxInterval = 30_000)
public final class DnsCachePolicyReconciler implements Reconciler<DnsCachePolicy> {
  /** Waiting for the admin token Secret before a pending flush is tried again. */
  private static final Duration SECRET_WAIT = Duration.ofSeconds(1);

  /** Agents not ready this soon after their DaemonSet appeared are starting, not failing. */
  static final Duration START_GRACE = Duration.ofSeconds(60);

  private final Workflow<DnsCachePolicy> workflow;
  private final OperatorSettings settings;
  private final StatusEvents events;
  private final Clock clock;
  private final FlushProgress flushes;
  private final MigrationProgress migrations;
  private final ReadProblems readProblems;
  private final Function<String, InvalidationStatus> invalidation;

  /** How often a following policy's status.invalidation is brought up to date. */
  static final Duration INVALIDATION_RECHECK = Duration.ofSeconds(10);

  /** Wakes a policy up when one of its flushes has ended. */
  private final SimpleInboundEventSource<DnsCachePolicy> wakeUp =
      new SimpleInboundEventSource<>("flush-done");

  public DnsCachePolicyReconciler(
      OperatorSettings settings,
      PolicyEvents events,
      Clock clock,
      FlushCoordinator coordinator,
      AgentAdminClient admin,
      Consumer<String> flushOutcome,
      ReadProblems readProblems,
      Function<String, InvalidationStatus> invalidation) {
    this.invalidation = invalidation;
    this.settings = settings;
    this.events = new StatusEvents(events, flushOutcome);
    this.clock = clock;
    this.flushes = new FlushProgress(coordinator);
    this.migrations = new MigrationProgress(coordinator, admin);
    this.readProblems = readProblems;
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

  /** Where this reconcile moved flushes and migrations, and when to look again. */
  private record Progress(Flush lastFlush, List<MigrationStatus> migrations, Duration recheck) {}

  @Override
  public UpdateControl<DnsCachePolicy> reconcile(
      DnsCachePolicy policy, Context<DnsCachePolicy> context) {
    Instant now = clock.instant();
    DnsCachePolicyStatus previous = policy.getStatus();
    // Observe: what could not be read, and whether an earlier policy holds these nodes.
    ReadProblems.Problems read = readProblems.of(policy);
    String conflictWith =
        read.unreadable() != null || policy.getSpec() == null
            ? ""
            : SelectorOverlap.earlierOverlapping(policy, context.getPrimaryCache().list())
                .map(p -> p.getMetadata().getName())
                .orElse("");
    // Validate: null when the conflict alone decides.
    PolicyValidator.Result spec = validate(policy, read, conflictWith, context);
    // Reconcile: only a valid spec touches what runs.
    Progress progress =
        spec != null && spec.valid()
            ? reconcileAgents(policy, spec, previous, context, now)
            : new Progress(previous == null ? null : previous.lastFlush, null, null);
    DaemonSet ds = context.getSecondaryResource(DaemonSet.class).orElse(null); // after creating it
    boolean invalid = spec != null && !spec.valid();
    DnsCachePolicyStatus status =
        PolicyConditions.compute(
            previous,
            new PolicyConditions.Observed(
                Objects.requireNonNullElse(policy.getMetadata().getGeneration(), 0L),
                ds,
                invalid ? spec.reason() : "",
                invalid ? spec.message() : "",
                conflictWith,
                ds != null && isYoung(ds, now),
                read.ignoredFields()),
            now);
    status.lastFlush = progress.lastFlush();
    if (progress.migrations() != null) {
      status.migrations = progress.migrations();
    }
    Duration recheck = progress.recheck();
    if (spec != null && spec.valid()) {
      status.invalidation = invalidationStatus(policy);
      if ("Following".equals(status.invalidation.phase)
          || "Starting".equals(status.invalidation.phase)
          || "WatchLost".equals(status.invalidation.phase)) {
        // Starting settles within a second or two: look again soon, not in 10 s.
        Duration again =
            "Starting".equals(status.invalidation.phase)
                ? Duration.ofSeconds(1)
                : INVALIDATION_RECHECK;
        recheck = recheck == null || recheck.compareTo(again) > 0 ? again : recheck;
      }
    } else if (previous != null) {
      status.invalidation = previous.invalidation;
    }
    events.announce(policy, previous, status);
    StatusWriter.write(policy, status, context);
    return recheck == null
        ? UpdateControl.noUpdate()
        : UpdateControl.<DnsCachePolicy>noUpdate()
            .rescheduleAfter(recheck.isNegative() ? Duration.ZERO : recheck);
  }

  /** Off, NotForwarded, Starting (no stream status yet) or what the stream reports. */
  private InvalidationStatus invalidationStatus(DnsCachePolicy policy) {
    InvalidationStatus s;
    if (!InvalidationSettings.enabled(policy.getSpec())) {
      s = new InvalidationStatus();
      s.phase = "Off";
    } else if (!InvalidationSettings.forwardsClusterDomain(policy.getSpec())) {
      s = new InvalidationStatus();
      s.phase = "NotForwarded";
    } else {
      s = invalidation.apply(policy.getMetadata().getName());
      if (s == null) {
        s = new InvalidationStatus();
        s.phase = "Starting";
      }
    }
    if (s.summary == null) {
      s.summary = s.phase;
    }
    return s;
  }

  private static PolicyValidator.Result validate(
      DnsCachePolicy policy,
      ReadProblems.Problems read,
      String conflictWith,
      Context<DnsCachePolicy> context) {
    if (read.unreadable() != null) {
      return PolicyValidator.Result.refused("UnreadableSpec", read.unreadable());
    }
    if (policy.getSpec() == null) {
      return PolicyValidator.Result.refused("UnreadableSpec", "spec: Required value");
    }
    return conflictWith.isEmpty()
        ? PolicyValidator.validate(policy, ServiceRefs.resolve(policy, context.getClient()))
        : null;
  }

  /** The owned objects brought to their desired state; flushes and migrations moved on. */
  private Progress reconcileAgents(
      DnsCachePolicy policy,
      PolicyValidator.Result spec,
      DnsCachePolicyStatus previous,
      Context<DnsCachePolicy> context,
      Instant now) {
    new RenderedConfig(
            spec.config(),
            AgentConfigRenderer.toText(spec.config()),
            AgentConfigRenderer.restartChecksum(spec.config()))
        .putInto(context);
    workflow.reconcile(policy, context);
    FlushProgress.Agents agents = agents(policy, context);
    Flush lastFlush =
        flushes.next(policy, previous == null ? null : previous.lastFlush, agents, now);
    MigrationProgress.Result migrating =
        migrations.next(
            policy, spec.parsed(), previous == null ? null : previous.migrations, agents, now);
    Duration recheck = migrating.nextCheck();
    if (lastFlush != null && FlushProgress.PENDING.equals(lastFlush.phase)) {
      recheck = recheck == null || recheck.compareTo(SECRET_WAIT) > 0 ? SECRET_WAIT : recheck;
    }
    return new Progress(lastFlush, migrating.statuses(), recheck);
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

  private static boolean isYoung(DaemonSet ds, Instant now) {
    String created = ds.getMetadata().getCreationTimestamp();
    try {
      return created == null || Instant.parse(created).plus(START_GRACE).isAfter(now);
    } catch (java.time.format.DateTimeParseException e) {
      return false;
    }
  }
}
