package dev.nodecache.agent.upstream;

import dev.nodecache.agent.config.AgentConfig;
import dev.nodecache.agent.config.AgentConfig.Transport;
import dev.nodecache.agent.dns.CacheKey;
import dev.nodecache.agent.dns.DnsWire;
import dev.nodecache.agent.dns.WireReply;
import dev.nodecache.agent.dns.ZoneMatcher;
import dev.nodecache.agent.metrics.AgentMetrics;
import dev.nodecache.agent.net.IoTransport;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Rcode;

/**
 * Sends a cache miss to the upstream group of the longest matching zone, trying its servers in the
 * group's order until one gives a usable reply: over UDP, TCP, or UDP with a TCP retry when the
 * reply is truncated.
 */
public final class Forwarder {
  private static final Logger log = LoggerFactory.getLogger(Forwarder.class);

  private final ZoneMatcher<UpstreamPool> router;
  private final List<UpstreamPool> pools;
  private final UdpExchange udp;
  private final TcpExchange tcp;
  private final AgentMetrics metrics;
  private final LongSupplier nanoClock;

  public Forwarder(
      List<AgentConfig.UpstreamGroup> groups,
      IoTransport transport,
      AgentMetrics metrics,
      LongSupplier nanoClock,
      Map<InetSocketAddress, Upstream> existing) {
    Map<String, UpstreamPool> byZone = new LinkedHashMap<>();
    List<UpstreamPool> pools = new ArrayList<>();
    Map<InetSocketAddress, Upstream> known = new HashMap<>(existing);
    Map<Upstream, Integer> limits = new HashMap<>();
    for (AgentConfig.UpstreamGroup g : groups) {
      List<Upstream> servers = new ArrayList<>();
      for (InetSocketAddress a : g.servers()) {
        Upstream u = known.computeIfAbsent(a, x -> new Upstream(x, nanoClock));
        limits.merge(u, g.maxConcurrent(), Math::min); // a server in two groups: the tighter
        servers.add(u);
      }
      UpstreamPool pool = new UpstreamPool(g, servers);
      pools.add(pool);
      g.zones().forEach(z -> byZone.put(z, pool));
    }
    limits.forEach((u, limit) -> u.gate().limit(limit));
    this.router = new ZoneMatcher<>(byZone, null);
    this.pools = List.copyOf(pools);
    this.udp = UdpExchange.over(transport, metrics);
    this.tcp = new TcpExchange(transport, metrics);
    this.metrics = metrics;
    this.nanoClock = nanoClock;
  }

  public List<UpstreamPool> pools() {
    return pools;
  }

  /** The upstreams by address, so that a reload keeps their health. */
  public Map<InetSocketAddress, Upstream> upstreams() {
    Map<InetSocketAddress, Upstream> out = new HashMap<>();
    for (UpstreamPool p : pools) {
      for (Upstream u : p.servers()) {
        out.put(u.address(), u);
      }
    }
    return out;
  }

  /**
   * Completes with a reply, or exceptionally with {@link UpstreamFailure} when none came, or with
   * {@link UpstreamBusy} when every server was too busy to take the query in time.
   */
  public CompletableFuture<UpstreamReply> forward(CacheKey key, EventLoop loop) {
    byte[] name = key.name();
    UpstreamPool pool = router.match(name, name.length);
    CompletableFuture<UpstreamReply> result = new CompletableFuture<>();
    if (pool == null) {
      result.completeExceptionally(new UpstreamFailure("no upstream for " + key.nameText()));
      return result;
    }
    attempt(key, pool, pool.attemptOrder(), 0, loop, null, null, result);
    return result;
  }

  private void attempt(
      CacheKey key,
      UpstreamPool pool,
      List<Upstream> order,
      int index,
      EventLoop loop,
      UpstreamReply lastBad,
      Throwable lastError,
      CompletableFuture<UpstreamReply> result) {
    if (index >= order.size()) {
      if (lastBad != null) {
        result.complete(lastBad); // every server answered, all with SERVFAIL/REFUSED
      } else if (lastError instanceof UpstreamBusy) {
        result.completeExceptionally(lastError);
      } else {
        result.completeExceptionally(new UpstreamFailure("no upstream answered"));
      }
      return;
    }
    Upstream server = order.get(index);
    long started = System.nanoTime();
    // handle, not whenComplete: the stage it returns, which nobody reads, would otherwise wrap
    // every failure in a CompletionException with a stack trace (a flood sheds thousands a second).
    exchange(key, pool, server, loop)
        .handle(
            (reply, err) -> {
              if (err instanceof UpstreamBusy) { // nothing was sent: no latency, no blame
                attempt(key, pool, order, index + 1, loop, lastBad, err, result);
                return null;
              }
              metrics.upstreamLatency(server.label(), System.nanoTime() - started);
              if (err != null) {
                metrics.upstreamRequest(server.label(), "timeout_or_error");
                health(server, server.failure(), err);
                attempt(key, pool, order, index + 1, loop, lastBad, err, result);
                return null;
              }
              int rcode = reply.message().rcode();
              metrics.upstreamRequest(server.label(), Rcode.string(rcode));
              health(server, server.success(), null);
              if ((rcode == DnsWire.RCODE_SERVFAIL || rcode == DnsWire.RCODE_REFUSED)
                  && index + 1 < order.size()) {
                attempt(key, pool, order, index + 1, loop, reply, null, result);
              } else {
                result.complete(reply);
              }
              return null;
            });
  }

  /**
   * One server, when its gate gives the query a turn within the group's timeout; the turn lasts
   * until the reply (a TCP retry included), the error or the timeout.
   */
  private CompletableFuture<UpstreamReply> exchange(
      CacheKey key, UpstreamPool pool, Upstream server, EventLoop loop) {
    CompletableFuture<UpstreamReply> result = new CompletableFuture<>();
    ConcurrencyGate gate = server.gate();
    boolean now =
        gate.enter(
            new ConcurrencyGate.Turn() {
              @Override
              public void go(long startedAt) {
                CompletableFuture<UpstreamReply> sent;
                try {
                  sent = send(key, pool, server, loop);
                } catch (RuntimeException e) { // the turn must end even if sending cannot start
                  sent = CompletableFuture.failedFuture(new UpstreamFailure(e.toString()));
                }
                sent.handle( // not whenComplete: see attempt
                    (reply, err) -> {
                      gate.release(startedAt);
                      if (err != null) {
                        result.completeExceptionally(err);
                      } else {
                        result.complete(reply);
                      }
                      return null;
                    });
              }

              @Override
              public void expired() {
                metrics.dropped("upstream_queue_timeout");
                result.completeExceptionally(new UpstreamBusy(server.label()));
              }
            },
            nanoClock.getAsLong() + pool.timeout().toNanos());
    if (!now && !result.isDone()) { // waits its turn (not told at once that none will come)
      metrics.upstreamQueued.increment();
    }
    return result;
  }

  /** One server, with the group's transport; a TC reply over UDP is retried over TCP. */
  private CompletableFuture<UpstreamReply> send(
      CacheKey key, UpstreamPool pool, Upstream server, EventLoop loop) {
    byte[] query = UpstreamQuery.build(key, QueryIds.next());
    long timeout = pool.timeout().toMillis();
    Transport t = pool.transport();
    CompletableFuture<byte[]> first =
        t == Transport.TCP
            ? tcp.send(loop, server.address(), query, timeout)
            : udp.send(loop, server.address(), query, timeout);
    return first.thenCompose(
        wire -> {
          WireReply m = WireReply.read(wire);
          if (m == null) {
            metrics.dropped("reply_malformed");
            return CompletableFuture.failedFuture(new UpstreamFailure("malformed reply"));
          }
          if (t == Transport.PREFER_UDP && m.flag(DnsWire.FLAG_TC)) {
            byte[] retry = UpstreamQuery.build(key, QueryIds.next());
            return tcp.send(loop, server.address(), retry, timeout)
                .thenCompose(
                    w -> {
                      WireReply tm = WireReply.read(w);
                      if (tm == null) {
                        metrics.dropped("reply_malformed");
                        return CompletableFuture.failedFuture(
                            new UpstreamFailure("malformed reply"));
                      }
                      return CompletableFuture.completedFuture(new UpstreamReply(tm, server));
                    });
          }
          return CompletableFuture.completedFuture(new UpstreamReply(m, server));
        });
  }

  /** Probes a down server with ". NS" over its group's transport; any reply means it is up. */
  CompletableFuture<?> probe(UpstreamPool pool, Upstream server, EventLoop loop) {
    CacheKey root = CacheKey.of(new byte[] {0}, 1, 2, 1, 0);
    return exchange(root, pool, server, loop)
        .whenComplete(
            (reply, err) -> {
              if (!(err instanceof UpstreamBusy)) { // no turn: the probe says nothing of health
                health(server, err == null ? server.success() : server.failure(), err);
              }
            });
  }

  private static void health(Upstream server, Upstream.Change change, Throwable cause) {
    switch (change) {
      case WENT_DOWN ->
          log.warn(
              "upstream {} is down after {} failures in a row (last: {}); skipping it, re-probing",
              server.label(),
              Upstream.FAILURES_BEFORE_DOWN,
              reason(cause));
      case CAME_UP -> log.info("upstream {} is up again", server.label());
      case NONE -> {}
    }
  }

  private static String reason(Throwable t) {
    Throwable c =
        t instanceof java.util.concurrent.CompletionException && t.getCause() != null
            ? t.getCause()
            : t;
    return c == null ? "?" : c.getMessage();
  }
}
