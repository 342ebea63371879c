package dev.nodecache.agent.resolve;

import dev.nodecache.agent.config.AgentConfig.Migration;
import dev.nodecache.agent.dns.CacheKey;
import dev.nodecache.agent.dns.NameSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The lower-TTL-first playbook on the node (SPEC §4): from {@code cutoverAt - drainLead} until
 * {@code cutoverAt + ttlDuringMigration}, answers for a migration's names are stored and served
 * with TTL at most {@code ttlDuringMigration}, so that no client holds one past the cutover.
 */
public final class MigrationCaps implements TtlCaps {
  /** One migration's window and names. */
  public record Window(String name, NameSet names, Instant from, Instant until, long capSeconds) {}

  private final List<Window> windows;
  private final Clock clock;

  public MigrationCaps(List<Window> windows, Clock clock) {
    this.windows = List.copyOf(windows);
    this.clock = clock;
  }

  /** The caps of {@code migrations}; NONE when there are none (nothing to check per query). */
  public static TtlCaps of(List<Migration> migrations, CacheRulesByZone rules, Clock clock) {
    if (migrations.isEmpty()) {
      return NONE;
    }
    List<Window> windows = new ArrayList<>();
    for (Migration m : migrations) {
      windows.add(window(m, rules));
    }
    return new MigrationCaps(windows, clock);
  }

  /** Default drain lead: the longest effective maxTtl among the names, plus 20%. */
  public static Window window(Migration m, CacheRulesByZone rules) {
    Duration lead = m.drainLead();
    if (lead == null) {
      Duration longest = Duration.ZERO;
      for (String n : new NameSet(m.names()).baseNames()) {
        Duration max = rules.rulesFor(n).maxTtl();
        longest = max.compareTo(longest) > 0 ? max : longest;
      }
      lead = longest.plus(longest.dividedBy(5));
    }
    return new Window(
        m.name(),
        new NameSet(m.names()),
        m.cutoverAt().minus(lead),
        m.cutoverAt().plus(m.ttlDuringMigration()),
        m.ttlDuringMigration().toSeconds());
  }

  public List<Window> windows() {
    return windows;
  }

  @Override
  public long capSeconds(CacheKey key) {
    Instant now = clock.instant();
    long cap = Long.MAX_VALUE;
    for (Window w : windows) {
      if (!now.isBefore(w.from()) && now.isBefore(w.until()) && w.names().contains(key)) {
        cap = Math.min(cap, w.capSeconds());
      }
    }
    return cap;
  }
}
