package dev.nodecache.operator.flush;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nodecache.agent.config.AgentConfig;
import dev.nodecache.agent.resolve.CacheRulesByZone;
import dev.nodecache.agent.resolve.MigrationCaps;
import dev.nodecache.api.DnsCachePolicy;
import dev.nodecache.api.DnsCachePolicyStatus.MigrationStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Moves each migration of a policy through its phases by the clock (SPEC §4): Scheduled, then
 * Draining from {@code cutoverAt - drainLead} (the agents cap the TTLs themselves, from their
 * config), CutOver at {@code cutoverAt} with one coordinated flush of the names, Completed after
 * {@code ttlDuringMigration}. After the flush it asks every agent what it holds for the names: a
 * node serves the new answer when everything it holds for them was fetched after the cutover.
 */
public final class MigrationProgress {
  public static final String SCHEDULED = "Scheduled";
  public static final String DRAINING = "Draining";
  public static final String CUT_OVER = "CutOver";
  public static final String COMPLETED = "Completed";
  private static final Duration PROBE_EVERY = Duration.ofSeconds(5);

  private final FlushCoordinator coordinator;
  private final AgentAdminClient admin;

  public MigrationProgress(FlushCoordinator coordinator, AgentAdminClient admin) {
    this.coordinator = coordinator;
    this.admin = admin;
  }

  /** The statuses, and when to look again (null: nothing left to do). */
  public record Result(List<MigrationStatus> statuses, Duration nextCheck) {}

  public Result next(
      DnsCachePolicy policy,
      AgentConfig config,
      List<MigrationStatus> previous,
      FlushProgress.Agents agents,
      Instant now) {
    CacheRulesByZone rules = new CacheRulesByZone(config.cache());
    List<MigrationStatus> out = new ArrayList<>();
    Duration next = null;
    for (AgentConfig.Migration m : config.migrations()) {
      MigrationCaps.Window w = MigrationCaps.window(m, rules);
      MigrationStatus before = find(previous, m.name());
      MigrationStatus s = new MigrationStatus();
      s.name = m.name();
      s.drainStartsAt = w.from().toString();
      s.cutoverAt = m.cutoverAt().toString();
      s.flushedAt = before == null ? null : before.flushedAt;
      s.nodesServingNew = before == null ? null : before.nodesServingNew;
      Duration wait;
      if (now.isBefore(w.from())) {
        s.phase = SCHEDULED;
        wait = Duration.between(now, w.from());
      } else if (now.isBefore(m.cutoverAt())) {
        s.phase = DRAINING;
        wait = Duration.between(now, m.cutoverAt());
      } else if (s.flushedAt == null) {
        s.phase = CUT_OVER;
        wait = flush(policy, m, s, agents);
      } else if (before != null
          && COMPLETED.equals(before.phase)
          && allNew(before.nodesServingNew)) {
        s.phase = COMPLETED; // done: no more questions to the agents on every reconcile
        wait = null;
      } else {
        s.nodesServingNew = servingNew(m, agents, now);
        boolean allNew = allNew(s.nodesServingNew);
        if (now.isBefore(w.until())) {
          s.phase = CUT_OVER;
          wait = min(Duration.between(now, w.until()), PROBE_EVERY);
        } else {
          s.phase = COMPLETED;
          wait = allNew ? null : PROBE_EVERY;
        }
      }
      out.add(s);
      next = wait == null ? next : next == null ? wait : min(next, wait);
    }
    return new Result(out, next);
  }

  /** The one coordinated flush of the names at the cutover; its id says which migration. */
  private Duration flush(
      DnsCachePolicy policy,
      AgentConfig.Migration m,
      MigrationStatus s,
      FlushProgress.Agents agents) {
    String id = "migration:" + m.name() + "@" + m.cutoverAt();
    String name = policy.getMetadata().getName();
    FlushRun run = coordinator.run(name, id);
    if (run == null && agents != null && agents.token() != null) {
      run =
          coordinator.start(
              name, id, m.names(), agents.endpoints().get(), agents.token(), agents.onDone());
    }
    if (run != null && run.done()) {
      s.flushedAt = Instant.ofEpochMilli(run.completedAtMillis()).toString();
      return Duration.ZERO;
    }
    return Duration.ofSeconds(1);
  }

  /** "k/n": of n agents, k hold nothing for the names that was fetched before the cutover. */
  private String servingNew(AgentConfig.Migration m, FlushProgress.Agents agents, Instant now) {
    if (agents == null || agents.token() == null) {
      return "0/0";
    }
    List<AgentEndpoint> endpoints = agents.endpoints().get();
    long sinceCutover = Math.max(0, Duration.between(m.cutoverAt(), now).toSeconds());
    List<String> names = new dev.nodecache.agent.dns.NameSet(m.names()).baseNames();
    List<CompletableFuture<Boolean>> checks = new ArrayList<>();
    for (AgentEndpoint e : endpoints) {
      List<CompletableFuture<JsonNode>> held = new ArrayList<>();
      for (String n : names) {
        held.add(admin.cache(e, agents.token(), n));
      }
      checks.add(
          CompletableFuture.allOf(held.toArray(new CompletableFuture[0]))
              .thenApply(v -> held.stream().allMatch(h -> fresh(h.join(), sinceCutover)))
              .exceptionally(x -> false));
    }
    int serving = 0;
    for (CompletableFuture<Boolean> c : checks) {
      try {
        serving += c.get(3, TimeUnit.SECONDS) ? 1 : 0;
      } catch (Exception e) {
        // an agent that does not answer is not counted as serving the new answer
      }
    }
    return serving + "/" + endpoints.size();
  }

  private static boolean fresh(JsonNode held, long sinceCutoverSeconds) {
    for (JsonNode e : held.path("entries")) {
      if (e.path("age").asLong() > sinceCutoverSeconds) {
        return false;
      }
    }
    return true;
  }

  /** "n/n" with n > 0. */
  static boolean allNew(String servingNew) {
    if (servingNew == null || !servingNew.contains("/")) {
      return false;
    }
    String[] kn = servingNew.split("/");
    return kn[0].equals(kn[1]) && !kn[1].equals("0");
  }

  private static MigrationStatus find(List<MigrationStatus> list, String name) {
    if (list == null) {
      return null;
    }
    return list.stream().filter(s -> name.equals(s.name)).findFirst().orElse(null);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
