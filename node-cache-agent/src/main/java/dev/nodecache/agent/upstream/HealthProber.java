package dev.nodecache.agent.upstream;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Re-probes down upstream servers when their backoff has passed, so queries need not. */
public final class HealthProber {
  private static final long PERIOD_MILLIS = 250;

  private final Supplier<Forwarder> forwarder;
  private final EventLoopGroup group;
  private ScheduledFuture<?> task;

  public HealthProber(Supplier<Forwarder> forwarder, EventLoopGroup group) {
    this.forwarder = forwarder;
    this.group = group;
  }

  public void start() {
    task =
        group.scheduleWithFixedDelay(
            this::probeDue, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
  }

  public void stop() {
    if (task != null) {
      task.cancel(false);
    }
  }

  private void probeDue() {
    Forwarder f = forwarder.get();
    for (UpstreamPool pool : f.pools()) {
      for (Upstream u : pool.servers()) {
        if (u.probeDue()) {
          u.probeStarted();
          f.probe(pool, u, group.next());
        }
      }
    }
  }
}
