package dev.nodecache.agent.config;

import java.util.Map;

/**
 * The environment the agent's JVM must start with; the operator puts it into the DaemonSet and the
 * agent image sets it too (a JVM reads both before any Java code runs).
 *
 * <ul>
 *   <li>{@code MALLOC_ARENA_MAX=2}: glibc's default, eight arenas per core, keeps the native memory
 *       every thread freed resident ({@link MemoryRule}).
 *   <li>{@code _JAVA_SR_SIGNUM=34}: HotSpot suspends threads with SIGUSR2 unless told otherwise,
 *       and the flight recorder does so for every stack sample. SIGUSR2 flushes the cache, so a
 *       {@code jcmd PID JFR.start} would flush it at every sample, 22 times a second under load
 *       (and get no samples). 34 is SIGRTMIN, which nothing sends to the agent.
 * </ul>
 */
public final class ProcessEnvironment {
  private ProcessEnvironment() {}

  public static Map<String, String> variables() {
    return Map.of("MALLOC_ARENA_MAX", "2", "_JAVA_SR_SIGNUM", "34");
  }
}
