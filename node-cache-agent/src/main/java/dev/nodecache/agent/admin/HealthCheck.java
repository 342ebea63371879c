package dev.nodecache.agent.admin;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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

  CompletableFuture<Boolean> check() {
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
    return CompletableFuture.allOf(pings.toArray(new CompletableFuture[0]))
        .orTimeout(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
        .handle((v, e) -> e == null);
  }
}
