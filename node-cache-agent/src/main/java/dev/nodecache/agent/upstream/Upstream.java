package dev.nodecache.agent.upstream;

import dev.nodecache.agent.config.AgentConfig.UpstreamGroup;
import dev.nodecache.agent.config.ServerAddress;
import java.net.InetSocketAddress;
import java.util.function.LongSupplier;

/**
 * One upstream server and its health: after {@value #FAILURES_BEFORE_DOWN} failures in a row it is
 * down, skipped by queries, and re-probed with a backoff that doubles up to 30s.
 */
public final class Upstream {
  static final int FAILURES_BEFORE_DOWN = 3;

  private static final long FIRST_BACKOFF = 500_000_000L;
  private static final long MAX_BACKOFF = 30_000_000_000L;

  /** A change of health worth a log line. */
  public enum Change {
    NONE,
    WENT_DOWN,
    CAME_UP
  }

  private final InetSocketAddress address;
  private final String label;
  private final LongSupplier nanoClock;
  private final ConcurrencyGate gate;
  private int failures;
  private boolean down;
  private long backoff = FIRST_BACKOFF;
  private long probeAt;

  public Upstream(InetSocketAddress address, LongSupplier nanoClock) {
    this.address = address;
    this.label = ServerAddress.format(address);
    this.nanoClock = nanoClock;
    this.gate = new ConcurrencyGate(UpstreamGroup.DEFAULT_MAX_CONCURRENT, nanoClock);
  }

  /** The bound on queries outstanding to this server (kept across reloads with its health). */
  public ConcurrencyGate gate() {
    return gate;
  }

  public InetSocketAddress address() {
    return address;
  }

  public String label() {
    return label;
  }

  public synchronized boolean isUp() {
    return !down;
  }

  /** A down server whose backoff has passed: time to send it a probe. */
  public synchronized boolean probeDue() {
    return down && nanoClock.getAsLong() - probeAt >= 0;
  }

  /**
   * A probe is on its way: no other until it has had its time ({@code timeoutNanos}) and the
   * backoff has passed. Its reply or failure sets the next probe's time anyway; this only keeps a
   * timeout longer than the backoff from sending a second probe while the first is in flight.
   */
  public synchronized void probeStarted(long timeoutNanos) {
    probeAt = nanoClock.getAsLong() + Math.max(backoff, timeoutNanos);
  }

  public synchronized Change success() {
    failures = 0;
    backoff = FIRST_BACKOFF;
    if (down) {
      down = false;
      return Change.CAME_UP;
    }
    return Change.NONE;
  }

  public synchronized Change failure() {
    failures++;
    long now = nanoClock.getAsLong();
    if (down) {
      backoff = Math.min(MAX_BACKOFF, backoff * 2);
      probeAt = now + backoff;
      return Change.NONE;
    }
    if (failures >= FAILURES_BEFORE_DOWN) {
      down = true;
      probeAt = now + backoff;
      return Change.WENT_DOWN;
    }
    return Change.NONE;
  }

  @Override
  public String toString() {
    return label;
  }
}
