package dev.nodecache.agent.admin;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Alive means every DNS event loop, client and upstream, runs a task within a second (none is
 * stuck).
 */
final class HealthCheck {
  private static final long TIMEOUT_MILLIS = 1000;

  private final List<EventLoopGroup> groups;

  HealthCheck(List<EventLoopGroup> groups) {
    this.groups = List.copyOf(groups);
  }

  /**
   * Completes with whether every loop ran a task in time. The timeout runs on {@code timer} (the
   * admin loop): {@code CompletableFuture.orTimeout} would start the JDK's own timer thread, for
   * good, at the first probe.
   */
  CompletableFuture<Boolean> check(EventExecutor timer) {
    List<CompletableFuture<Void>> pings = new ArrayList<>();
    for (EventLoopGroup loops : groups) {
      for (EventExecutor loop : loops) {
        CompletableFuture<Void> ping = new CompletableFuture<>();
        try {
          loop.execute(() -> ping.complete(null));
        } catch (RuntimeException rejected) {
          ping.completeExceptionally(rejected);
        }
        pings.add(ping);
      }
    }
    CompletableFuture<Boolean> alive = new CompletableFuture<>();
    ScheduledFuture<?> timeout =
        timer.schedule(() -> alive.complete(false), TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    CompletableFuture.allOf(pings.toArray(new CompletableFuture[0]))
        .whenComplete(
            (v, e) -> {
              timeout.cancel(false);
              alive.complete(e == null);
            });
    return alive;
  }
}
