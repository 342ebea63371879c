package dev.nodecache.operator.flush;

import dev.nodecache.api.DnsCachePolicy;
import dev.nodecache.api.DnsCachePolicyStatus.Flush;
import java.time.Instant;
import java.util.ArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The lastFlush part of the status (SPEC §3): a new annotation id becomes a Pending flush, which
 * the coordinator runs (again, after an operator restart: agents flush an id once), and the run's
 * outcome becomes InProgress, Completed or Failed. An id already in the status never starts anew.
 */
public final class FlushProgress {
  public static final String PENDING = "Pending";
  public static final String IN_PROGRESS = "InProgress";
  public static final String COMPLETED = "Completed";
  public static final String FAILED = "Failed";

  private final FlushCoordinator coordinator;

  public FlushProgress(FlushCoordinator coordinator) {
    this.coordinator = coordinator;
  }

  /** How to reach the agents now, and whom to tell when a run ends. */
  public record Agents(
      Supplier<java.util.List<AgentEndpoint>> endpoints, String token, Consumer<FlushRun> onDone) {}

  /** The new lastFlush; {@code agents} null when agents cannot be reached now (left Pending). */
  public Flush next(DnsCachePolicy policy, Flush previous, Agents agents, Instant now) {
    FlushRequest request = FlushRequest.of(policy);
    Flush f = copy(previous);
    if (request != null && (f == null || !request.id().equals(f.id))) {
      f = new Flush();
      f.id = request.id();
      f.names = new ArrayList<>(request.names());
      f.phase = PENDING;
      f.requestedAt = now.toString();
      if (request.refused()) {
        f.phase = FAILED;
        f.message = "Refused: " + request.problem();
        f.completedAt = f.requestedAt;
        f.acknowledged = 0;
        f.failed = 0;
        return withSummary(f);
      }
    }
    if (f == null || !(PENDING.equals(f.phase) || IN_PROGRESS.equals(f.phase))) {
      return withSummary(f);
    }
    String name = policy.getMetadata().getName();
    FlushRun run = coordinator.run(name, f.id);
    if (run == null) {
      if (agents == null || agents.token() == null) {
        return withSummary(f);
      }
      run =
          coordinator.start(
              name, f.id, f.names, agents.endpoints().get(), agents.token(), agents.onDone());
    }
    apply(run, f);
    return withSummary(f);
  }

  /** "ID Phase n/N" for kubectl's Last Flush column. */
  static Flush withSummary(Flush f) {
    if (f != null) {
      int acked = f.acknowledged == null ? 0 : f.acknowledged;
      int failed = f.failed == null ? 0 : f.failed;
      f.summary =
          f.id + " " + f.phase + (acked + failed > 0 ? " " + acked + "/" + (acked + failed) : "");
    }
    return f;
  }

  /** Copies a run's counts into a status entry. */
  public static void apply(FlushRun run, Flush f) {
    f.acknowledged = run.acknowledged();
    f.failed = run.failed().size();
    f.failedNodes = new ArrayList<>(run.failed().keySet());
    if (run.done()) {
      f.phase = run.failed().isEmpty() ? COMPLETED : FAILED;
      f.completedAt = Instant.ofEpochMilli(run.completedAtMillis()).toString();
    } else {
      f.phase = IN_PROGRESS;
    }
  }

  static Flush copy(Flush f) {
    if (f == null) {
      return null;
    }
    Flush c = new Flush();
    c.id = f.id;
    c.names = f.names == null ? new ArrayList<>() : new ArrayList<>(f.names);
    c.phase = f.phase;
    c.requestedAt = f.requestedAt;
    c.completedAt = f.completedAt;
    c.acknowledged = f.acknowledged;
    c.failed = f.failed;
    c.failedNodes = f.failedNodes == null ? new ArrayList<>() : new ArrayList<>(f.failedNodes);
    c.message = f.message;
    return c;
  }
}
