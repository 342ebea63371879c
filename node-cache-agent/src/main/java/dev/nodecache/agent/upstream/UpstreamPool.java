package dev.nodecache.agent.upstream;

import dev.nodecache.agent.config.AgentConfig;
import dev.nodecache.agent.config.AgentConfig.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/** The servers of one upstream group and the order in which a query tries them. */
public final class UpstreamPool {
  private final AgentConfig.UpstreamGroup config;
  private final List<Upstream> servers;
  private final AtomicInteger next = new AtomicInteger();

  public UpstreamPool(AgentConfig.UpstreamGroup config, List<Upstream> servers) {
    this.config = config;
    this.servers = List.copyOf(servers);
  }

  public List<Upstream> servers() {
    return servers;
  }

  public Transport transport() {
    return config.transport();
  }

  public Duration timeout() {
    return config.timeout();
  }

  /**
   * The servers in the order to try: by policy, healthy ones first; down ones last, so that a query
   * still has somewhere to go when all are down.
   */
  public List<Upstream> attemptOrder() {
    int n = servers.size();
    List<Upstream> ordered = new ArrayList<>(n);
    switch (config.policy()) {
      case SEQUENTIAL -> ordered.addAll(servers);
      case ROUND_ROBIN -> {
        int start = Math.floorMod(next.getAndIncrement(), n);
        for (int i = 0; i < n; i++) {
          ordered.add(servers.get((start + i) % n));
        }
      }
      case RANDOM -> {
        ordered.addAll(servers);
        Collections.shuffle(ordered, ThreadLocalRandom.current());
      }
    }
    List<Upstream> out = new ArrayList<>(n);
    for (Upstream u : ordered) {
      if (u.isUp()) {
        out.add(u);
      }
    }
    for (Upstream u : ordered) {
      if (!u.isUp()) {
        out.add(u);
      }
    }
    return out;
  }
}
