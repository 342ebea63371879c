package dev.nodecache.agent.upstream;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The upstreams' periodic upkeep, every {@value #PERIOD_MILLIS} ms: re-probes down servers when
 * their backoff has passed, so queries need not; and tells the queries waiting for a turn whose
 * deadline passed, which a full line of a dead server would otherwise keep until its next timeout.
 */
public final class UpstreamUpkeep {
  private static final long PERIOD_MILLIS = 250;

  private final Supplier<Forwarder> forwarder;
  private final EventLoopGroup group;
  private ScheduledFuture<?> task;

  public UpstreamUpkeep(Supplier<Forwarder> forwarder, EventLoopGroup group) {
    this.forwarder = forwarder;
    this.group = group;
  }

  public void start() {
    task =
        group.scheduleWithFixedDelay(
            this::upkeep, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
  }

  public void stop() {
    if (task != null) {
      task.cancel(false);
    }
  }

  private void upkeep() {
    Forwarder f = forwarder.get();
    for (UpstreamPool pool : f.pools()) {
      for (Upstream u : pool.servers()) {
        u.gate().expireOverdue();
        if (u.probeDue()) {
          u.probeStarted(pool.timeout().toNanos());
          f.probe(pool, u, group.next());
        }
      }
    }
  }
}
