package dev.nodecache.operator.read;

import dev.nodecache.api.DnsCachePolicy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What could not be read of a stored policy, by uid and resourceVersion: fields it does not know
 * (ignored) or a spec that does not fit the model at all (unreadable). Kept apart from the object
 * because JOSDK hands the reconciler clones made from the already-cleaned model.
 */
public final class ReadProblems {
  private static final int MAX_ENTRIES = 4096;

  /** {@code unreadable}: why the spec could not be read at all, or null. */
  public record Problems(List<String> ignoredFields, String unreadable) {
    public static final Problems NONE = new Problems(List.of(), null);
  }

  private final Map<String, Problems> byVersion =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Problems> eldest) {
          return size() > MAX_ENTRIES;
        }
      };

  synchronized void record(String uid, String resourceVersion, Problems problems) {
    byVersion.put(uid + "/" + resourceVersion, problems);
  }

  public synchronized Problems of(DnsCachePolicy policy) {
    Problems p =
        byVersion.get(
            policy.getMetadata().getUid() + "/" + policy.getMetadata().getResourceVersion());
    return p == null ? Problems.NONE : p;
  }
}
