package dev.nodecache.agent;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.nodecache.agent.cache.AnswerCache;
import dev.nodecache.agent.config.AgentConfig;
import dev.nodecache.agent.metrics.AgentMetrics;
import dev.nodecache.agent.net.IoTransport;
import dev.nodecache.agent.resolve.CacheRulesByZone;
import dev.nodecache.agent.resolve.QueryResolver;
import dev.nodecache.agent.resolve.QueryResolver.ResolverSettings;
import dev.nodecache.agent.resolve.TtlCaps;
import dev.nodecache.agent.server.DnsServer;
import dev.nodecache.agent.upstream.Forwarder;
import dev.nodecache.agent.upstream.HealthProber;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The agent, wired from its config: sockets, cache, resolver, upstreams. */
public final class NodeCacheAgent implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NodeCacheAgent.class);

  private final AgentConfig config;
  private final IoTransport transport = IoTransport.best();
  private final AgentMetrics metrics = new AgentMetrics();
  private final AnswerCache cache;
  private final EventLoopGroup group;
  private final QueryResolver resolver;
  private final DnsServer server;
  private final HealthProber prober;
  private volatile ResolverSettings settings;

  public NodeCacheAgent(AgentConfig config, Ticker ticker) {
    this.config = config;
    this.cache = new AnswerCache(config.cache().maxEntries(), ticker, metrics.evictions::add);
    this.group =
        transport.newGroup(config.listen().threads(), new DefaultThreadFactory("dns", true));
    this.settings = settingsFor(config, Map.of());
    this.resolver = new QueryResolver(cache, ticker, metrics, () -> settings, group);
    this.server =
        new DnsServer(transport, group, resolver, metrics, q -> settings.rules().rulesFor(q.key));
    this.prober = new HealthProber(() -> settings.forwarder(), group);
  }

  private ResolverSettings settingsFor(AgentConfig c, Map<java.net.InetSocketAddress,
      dev.nodecache.agent.upstream.Upstream> known) {
    Forwarder forwarder = new Forwarder(c.upstreams(), transport, metrics, System::nanoTime, known);
    return new ResolverSettings(forwarder, new CacheRulesByZone(c.cache()), TtlCaps.NONE);
  }

  public void start() throws InterruptedException {
    server.start(config.listen());
    prober.start();
    log.info(
        "node cache agent ready: {} upstream group(s), cache of {} entries, {} event loop(s)",
        config.upstreams().size(),
        config.cache().maxEntries(),
        config.listen().threads());
  }

  public AgentConfig config() {
    return config;
  }

  public AnswerCache cache() {
    return cache;
  }

  public AgentMetrics metrics() {
    return metrics;
  }

  public QueryResolver resolver() {
    return resolver;
  }

  public DnsServer server() {
    return server;
  }

  public IoTransport transport() {
    return transport;
  }

  /** Stops listening, lets answers in flight go out, then stops the event loops. */
  @Override
  public void close() {
    prober.stop();
    server.stop();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    log.info("node cache agent stopped");
  }
}
