package dev.nodecache.operator.flush;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a flush to every agent of a policy at once, off the reconcile thread: at most {@code
 * concurrency} calls in flight, each with its timeout, each retried with backoff; a dead agent
 * costs its own retries, not everyone's. When all have answered (or given up) it calls back, and
 * the reconciler writes the outcome into the status (the only writer of the status).
 */
public final class FlushCoordinator {
  private static final Logger log = LoggerFactory.getLogger(FlushCoordinator.class);

  private final AgentAdminClient client;
  private final int concurrency;
  private final int attempts;
  private final Duration firstBackoff;
  private final Clock clock;
  private final ScheduledExecutorService retries =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "flush-retries");
            t.setDaemon(true);
            return t;
          });
  private final Map<String, FlushRun> runs = new ConcurrentHashMap<>();

  public FlushCoordinator(
      AgentAdminClient client, int concurrency, int attempts, Duration firstBackoff, Clock clock) {
    this.client = client;
    this.concurrency = concurrency;
    this.attempts = attempts;
    this.firstBackoff = firstBackoff;
    this.clock = clock;
  }

  /** The run of flush {@code id} for {@code policy} in this process, or null. */
  public FlushRun run(String policy, String id) {
    return runs.get(policy + "\u0000" + id);
  }

  /**
   * Starts flush {@code id} on {@code agents} unless it already runs here. {@code done} is called
   * once when every agent answered or gave up.
   */
  public synchronized FlushRun start(
      String policy,
      String id,
      List<String> names,
      List<AgentEndpoint> agents,
      String token,
      Consumer<FlushRun> done) {
    FlushRun existing = run(policy, id);
    if (existing != null) {
      return existing;
    }
    FlushRun run = new FlushRun(id, names, agents.size());
    // Finished runs of this policy have been reported by now; keep memory bounded.
    runs.entrySet().removeIf(e -> e.getKey().startsWith(policy + "\u0000") && e.getValue().done());
    runs.put(policy + "\u0000" + id, run);
    log.info(
        "flush {} of policy {}: {} to {} agent(s)",
        id,
        policy,
        names.isEmpty() ? "everything" : String.join(",", names),
        agents.size());
    if (agents.isEmpty()) {
      run.finished(clock.millis());
      done.accept(run);
      return run;
    }
    AtomicInteger next = new AtomicInteger();
    AtomicInteger left = new AtomicInteger(agents.size());
    Runnable finishOne =
        () -> {
          if (left.decrementAndGet() == 0) {
            run.finished(clock.millis());
            done.accept(run);
          }
        };
    for (int w = 0; w < Math.min(concurrency, agents.size()); w++) {
      nextCall(run, agents, next, token, finishOne);
    }
    return run;
  }

  /** One worker: takes the next agent, calls it (with retries), then takes the next. */
  private void nextCall(
      FlushRun run,
      List<AgentEndpoint> agents,
      AtomicInteger next,
      String token,
      Runnable finishOne) {
    int i = next.getAndIncrement();
    if (i >= agents.size()) {
      return;
    }
    AgentEndpoint agent = agents.get(i);
    call(run, agent, token, 1)
        .whenComplete(
            (ok, e) -> {
              finishOne.run();
              nextCall(run, agents, next, token, finishOne);
            });
  }

  private CompletableFuture<Void> call(
      FlushRun run, AgentEndpoint agent, String token, int attempt) {
    CompletableFuture<Void> result = new CompletableFuture<>();
    client
        .flush(agent, token, run.id(), run.names())
        .whenComplete(
            (answer, e) -> {
              if (e == null) {
                run.ack();
                result.complete(null);
              } else if (attempt >= attempts) {
                String reason = e.getCause() != null ? e.getCause().toString() : e.toString();
                log.warn(
                    "flush {}: agent on {} ({}) failed after {} attempts: {}",
                    run.id(),
                    agent.node(),
                    agent.host(),
                    attempt,
                    reason);
                run.fail(agent.node(), reason);
                result.complete(null);
              } else {
                long delay = firstBackoff.toMillis() << (2 * (attempt - 1)); // 200 ms, 800 ms, ...
                retries.schedule(
                    () ->
                        call(run, agent, token, attempt + 1)
                            .whenComplete((v, x) -> result.complete(null)),
                    delay,
                    TimeUnit.MILLISECONDS);
              }
            });
    return result;
  }
}
