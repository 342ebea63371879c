package dev.nodecache.operator.invalidation;

import dev.nodecache.api.DnsCachePolicy;
import dev.nodecache.api.DnsCachePolicyStatus.InvalidationStatus;
import dev.nodecache.operator.flush.AgentAdminClient;
import dev.nodecache.operator.reconcile.PolicyEvents;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster names follow the API (README, "Invalidation"): Service and EndpointSlice changes become
 * batches of names pushed to every agent of every policy that follows the cluster domain. Runs on
 * the leader only; {@link #start} when leading, and the process ends when it stops leading.
 */
public final class ClusterInvalidation implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ClusterInvalidation.class);

  /** Merged names past this go to the agents as one resync: a burst cannot grow memory. */
  private static final int PENDING_LIMIT = 50_000;

  private static final java.time.Duration STREAM_TIMEOUT = java.time.Duration.ofSeconds(2);

  private final KubernetesClient client;
  private final String namespace;
  private final AgentAdminClient admin;
  private final InvalidationMetrics metrics;
  private final PolicyEvents events;
  private volatile ClusterWatch watch;
  private volatile AgentTargets targets;
  private volatile InvalidationPublisher publisher;
  private boolean closed;

  public ClusterInvalidation(
      KubernetesClient client,
      String namespace,
      AgentAdminClient admin,
      InvalidationMetrics metrics,
      PolicyEvents events) {
    this.client = client;
    this.namespace = namespace;
    this.admin = admin;
    this.metrics = metrics;
    this.events = events;
  }

  /** Starts watching and publishing; the stream starts once both initial lists are in. */
  public synchronized void start() {
    if (closed || publisher != null) {
      return;
    }
    PendingNames pending = new PendingNames(PENDING_LIMIT);
    AgentStreams streams = new AgentStreams(admin, STREAM_TIMEOUT);
    AgentTargets t = new AgentTargets(client, namespace);
    InvalidationPublisher p =
        new InvalidationPublisher(
            pending,
            t::current,
            streams,
            metrics,
            this::behind,
            t::tokenRefused,
            () -> watch != null && watch.watching());
    ClusterWatch w =
        new ClusterWatch(client, changed -> pending.add(changed, System.currentTimeMillis()));
    targets = t;
    publisher = p;
    watch = w;
    w.start()
        .whenComplete(
            (ok, e) -> {
              if (e != null) {
                // Agents get no stream meanwhile and keep to TTLs; all starts again soon.
                log.warn("Service/EndpointSlice watch not started, again in 5s: {}", e.toString());
                stop();
                CompletableFuture.delayedExecutor(5, TimeUnit.SECONDS).execute(this::start);
                return;
              }
              // What the first lists added is no change for agents: they resync on a new stream.
              pending.drain(0);
              log.info(
                  "following {} Services and {} EndpointSlices",
                  w.view().serviceCount(),
                  w.view().sliceCount());
              p.start();
            });
  }

  /** The policy's invalidation status now, or null when it does not follow (or not leading). */
  public InvalidationStatus status(String policy) {
    InvalidationPublisher p = publisher;
    return p == null ? null : p.statusOf(policy);
  }

  private void behind(AgentTargets.Target target, List<String> nodes, boolean caughtUp) {
    DnsCachePolicy policy = target.policy();
    String list = String.join(", ", nodes.subList(0, Math.min(10, nodes.size())));
    String more = nodes.size() > 10 ? " and " + (nodes.size() - 10) + " more" : "";
    if (caughtUp) {
      events.normal(
          policy, "InvalidationCaughtUp", "node(s) " + list + more + " follow the API again");
    } else {
      events.warning(
          policy,
          "InvalidationBehind",
          nodes.size()
              + " node(s) have not applied cluster-name changes for "
              + InvalidationPublisher.BEHIND_NANOS / 1_000_000_000L
              + "s: "
              + list
              + more
              + " (their cluster answers fall back to TTLs once their lease ends)");
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    stop();
  }

  private synchronized void stop() {
    if (publisher != null) {
      publisher.close();
      watch.close();
      targets.close();
      publisher = null;
    }
  }
}
