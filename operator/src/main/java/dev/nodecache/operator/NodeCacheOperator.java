package dev.nodecache.operator;

import dev.nodecache.operator.flush.AgentAdminClient;
import dev.nodecache.operator.flush.FlushCoordinator;
import dev.nodecache.operator.invalidation.ClusterInvalidation;
import dev.nodecache.operator.read.LenientPolicyReading;
import dev.nodecache.operator.read.ReadProblems;
import dev.nodecache.operator.reconcile.DnsCachePolicyReconciler;
import dev.nodecache.operator.reconcile.PolicyEvents;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.time.Clock;
import java.time.Duration;

/**
 * The operator, wired: JOSDK without server-side apply (the fabric8 mock server of the local mode
 * and the tests refuses it), the policy reconciler, optional leader election.
 */
public final class NodeCacheOperator implements AutoCloseable {
  private final Operator operator;
  private final KubernetesClient client;
  private final OperatorMetrics metrics = new OperatorMetrics();
  private final ClusterInvalidation invalidation;
  private final boolean leaderElection;

  public NodeCacheOperator(
      KubernetesClient given, OperatorSettings settings, boolean leaderElection, Clock clock) {
    this.leaderElection = leaderElection;
    ReadProblems readProblems = new ReadProblems();
    // The same API and credentials, read leniently (see LenientPolicyReading).
    this.client =
        new KubernetesClientBuilder()
            .withConfig(given.getConfiguration())
            .withKubernetesSerialization(LenientPolicyReading.serialization(readProblems))
            .build();
    AgentAdminClient admin = new AgentAdminClient(Duration.ofSeconds(2));
    PolicyEvents events = new PolicyEvents(client, settings.namespace());
    this.invalidation =
        new ClusterInvalidation(client, settings.namespace(), admin, metrics, events);
    this.operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withSSABasedCreateUpdateMatchForDependentResources(false)
                  .withUseSSAToPatchPrimaryResource(false)
                  .withCloseClientOnStop(false)
                  .withMetrics(metrics);
              if (leaderElection) {
                // The invalidation stream has one source: it runs where the reconciler runs.
                o.withLeaderElectionConfiguration(
                    new LeaderElectionConfiguration(
                        "nodecache-operator",
                        settings.namespace(),
                        LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
                        LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                        LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
                        null,
                        new LeaderCallbacks(invalidation::start, invalidation::close, id -> {}),
                        true));
              }
            });
    operator.register(
        new DnsCachePolicyReconciler(
            settings,
            events,
            clock,
            new FlushCoordinator(admin, 64, 3, Duration.ofMillis(200), clock),
            admin,
            metrics::flushFinished,
            readProblems,
            invalidation::status));
  }

  public void start() {
    operator.start();
    if (!leaderElection) {
      invalidation.start();
    }
  }

  public OperatorMetrics metrics() {
    return metrics;
  }

  public boolean healthy() {
    return operator.getRuntimeInfo().isStarted()
        && operator.getRuntimeInfo().allEventSourcesAreHealthy();
  }

  @Override
  public void close() {
    invalidation.close();
    operator.stop();
    client.close();
  }
}
