package dev.nodecache.agent.cache;

import dev.nodecache.agent.dns.NameSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flushes the cache, all of it or some names (positive and negative entries alike), at most once
 * per flush id: the operator retries calls and also writes the id into the config, and neither may
 * flush twice.
 */
public final class CacheFlusher {
  private static final Logger log = LoggerFactory.getLogger(CacheFlusher.class);
  private static final int REMEMBERED_IDS = 1024;

  /** What a flush did: entries removed, or that the id had been done already. */
  public record Result(String id, int removed, boolean duplicate) {}

  private final AnswerCache cache;
  private final Runnable counted;
  private final Map<String, Integer> done =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
          return size() > REMEMBERED_IDS;
        }
      };

  public CacheFlusher(AnswerCache cache, Runnable counted) {
    this.cache = cache;
    this.counted = counted;
  }

  /** Flushes {@code names} (empty: everything) unless {@code id} was flushed before. */
  public synchronized Result flush(String id, List<String> names, String source) {
    if (!id.isEmpty() && done.containsKey(id)) {
      return new Result(id, 0, true);
    }
    NameSet set = new NameSet(names);
    int removed = set.isEmpty() ? cache.clear() : cache.remove((k, v) -> set.contains(k));
    if (!id.isEmpty()) {
      done.put(id, removed);
    }
    counted.run();
    log.info(
        "flush{} from {}: {} removed {} entr{}",
        id.isEmpty() ? "" : " " + id,
        source,
        set.isEmpty() ? "everything" : String.join(",", names),
        removed,
        removed == 1 ? "y" : "ies");
    return new Result(id, removed, false);
  }

  /** The entries flush {@code id} removed here, or null when it was not done (or long ago). */
  public synchronized Integer removedBy(String id) {
    return done.get(id);
  }

  /** Marks {@code id} done without flushing (an id the agent started with). */
  public synchronized void remember(String id) {
    if (!id.isEmpty()) {
      done.putIfAbsent(id, 0);
    }
  }
}
