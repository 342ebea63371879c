package dev.nodecache.agent.testing;

import io.netty.util.ResourceLeakDetector;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Netty's leak detector, recording leaks so a test can fail on them (installed for every test JVM
 * with -Dio.netty.customResourceLeakDetector).
 */
public final class RecordingLeakDetector<T> extends ResourceLeakDetector<T> {
  private static final List<String> LEAKS = new CopyOnWriteArrayList<>();

  public RecordingLeakDetector(Class<?> resourceType, int samplingInterval, long maxActive) {
    super(resourceType, samplingInterval, maxActive);
  }

  public RecordingLeakDetector(Class<?> resourceType, int samplingInterval) {
    super(resourceType, samplingInterval);
  }

  public static List<String> leaks() {
    return List.copyOf(LEAKS);
  }

  @Override
  protected void reportTracedLeak(String resourceType, String records) {
    LEAKS.add(resourceType + ": " + records);
    super.reportTracedLeak(resourceType, records);
  }

  @Override
  protected void reportUntracedLeak(String resourceType) {
    LEAKS.add(resourceType);
    super.reportUntracedLeak(resourceType);
  }
}
