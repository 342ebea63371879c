package dev.nodecache.agent;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.nodecache.agent.admin.AdminServer;
import dev.nodecache.agent.admin.AgentState;
import dev.nodecache.agent.cache.AnswerCache;
import dev.nodecache.agent.cache.CacheFlusher;
import dev.nodecache.agent.config.AgentConfig;
import dev.nodecache.agent.config.ConfigException;
import dev.nodecache.agent.config.ConfigWatcher;
import dev.nodecache.agent.config.MemoryRule;
import dev.nodecache.agent.invalidation.InvalidationStream;
import dev.nodecache.agent.log.LogSetup;
import dev.nodecache.agent.metrics.AgentMetrics;
import dev.nodecache.agent.metrics.PrometheusExposition;
import dev.nodecache.agent.net.IoTransport;
import dev.nodecache.agent.network.NodeNetwork;
import dev.nodecache.agent.network.SiblingProbe;
import dev.nodecache.agent.resolve.CacheRulesByZone;
import dev.nodecache.agent.resolve.MigrationCaps;
import dev.nodecache.agent.resolve.QueryResolver;
import dev.nodecache.agent.resolve.QueryResolver.ResolverSettings;
import dev.nodecache.agent.server.DnsServer;
import dev.nodecache.agent.upstream.Forwarder;
import dev.nodecache.agent.upstream.Upstream;
import dev.nodecache.agent.upstream.UpstreamPool;
import dev.nodecache.agent.upstream.UpstreamUpkeep;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent, wired from its config: sockets, cache, resolver, upstreams, admin plane. A changed
 * config is applied in place ({@link #apply}): the cache stays.
 */
public final class NodeCacheAgent implements AutoCloseable, ConfigWatcher.Listener {
  private static final Logger log = LoggerFactory.getLogger(NodeCacheAgent.class);
  private static final long NETWORK_CHECK_SECONDS = 30;
  private static final long QUEUE_DRAIN_MILLIS = 200;

  private final IoTransport transport = IoTransport.best();
  private final AgentMetrics metrics = new AgentMetrics();
  private final AgentState state = new AgentState();
  private final Clock clock;
  private final AnswerCache cache;
  private final CacheFlusher flusher;
  private final InvalidationStream invalidation;
  private final EventLoopGroup group;
  private final EventLoopGroup upstreamLoops;
  private final QueryResolver resolver;
  private final DnsServer server;
  private final UpstreamUpkeep upkeep;
  private final PrometheusExposition exposition;
  private final AdminServer admin;
  private final NodeNetwork network;
  private final java.util.concurrent.ScheduledExecutorService networkCheck =
      java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
          new DefaultThreadFactory("node-network", true));
  private volatile AgentConfig config;
  private volatile ResolverSettings settings;

  public NodeCacheAgent(AgentConfig config, Ticker ticker) {
    this(config, ticker, Clock.systemUTC());
  }

  /** {@code ticker} times the cache; {@code clock} places migrations in wall-clock time. */
  public NodeCacheAgent(AgentConfig config, Ticker ticker, Clock clock) {
    this.config = config;
    this.clock = clock;
    this.cache =
        new AnswerCache(
            config.cache().maxEntries(),
            config.cache().maxBytesIn(Runtime.getRuntime()),
            ticker,
            metrics.evictions::add);
    this.flusher = new CacheFlusher(cache, metrics.flushes::increment);
    this.invalidation = new InvalidationStream(config.invalidation(), cache, ticker, metrics);
    this.group =
        transport.newGroup(config.listen().threads(), new DefaultThreadFactory("dns", true));
    this.upstreamLoops =
        transport.newGroup(config.listen().threads(), new DefaultThreadFactory("upstream", true));
    this.settings = settingsFor(config, Map.of());
    this.resolver =
        new QueryResolver(cache, ticker, metrics, () -> settings, upstreamLoops, invalidation);
    this.server =
        new DnsServer(transport, group, resolver, metrics, q -> settings.rules().rulesFor(q.key));
    this.upkeep = new UpstreamUpkeep(() -> settings.forwarder(), upstreamLoops);
    this.exposition =
        new PrometheusExposition(
            metrics,
            new PrometheusExposition.Gauges(
                cache::size,
                cache::weightedBytes,
                resolver::inFlight,
                this::upstreamHealth,
                () -> invalidation.live() ? 1 : 0,
                invalidation::applied));
    this.admin =
        new AdminServer(
            transport,
            List.of(group, upstreamLoops),
            state,
            exposition::scrape,
            metrics,
            cache,
            flusher,
            invalidation,
            ticker,
            config.admin().tokenFile());
    flusher.remember(config.flush().id()); // a new cache is empty: an old flush has nothing to do
    this.network = new NodeNetwork(config);
  }

  private ResolverSettings settingsFor(AgentConfig c, Map<InetSocketAddress, Upstream> known) {
    Forwarder forwarder = new Forwarder(c.upstreams(), transport, metrics, System::nanoTime, known);
    CacheRulesByZone rules = new CacheRulesByZone(c.cache());
    return new ResolverSettings(forwarder, rules, MigrationCaps.of(c.migrations(), rules, clock));
  }

  public void start() throws InterruptedException {
    if (network.enabled()) {
      // The addresses must exist before the sockets bind to them.
      network.ensure().forEach(p -> log.error("node setup: {}", p));
      networkCheck.scheduleWithFixedDelay(
          () -> network.ensure().forEach(p -> log.warn("node setup re-check: {}", p)),
          NETWORK_CHECK_SECONDS,
          NETWORK_CHECK_SECONDS,
          TimeUnit.SECONDS);
    }
    server.start(config.listen(), NodeNetwork.listenAddresses(config));
    admin.start(config.admin());
    upkeep.start();
    state.listening();
    log.info(
        "node cache agent ready: {} upstream group(s), cache of {} entries or {}, {} event"
            + " loop(s)",
        config.upstreams().size(),
        config.cache().maxEntries(),
        MemoryRule.mib(config.cache().maxBytesIn(Runtime.getRuntime())),
        config.listen().threads());
  }

  /**
   * Applies a changed config without dropping the cache: upstreams (keeping their health), cache
   * limits and rules, migrations, log settings, and a new flush id. Listen and admin addresses and
   * node networking take a restart (the operator rolls the DaemonSet for those).
   */
  @Override
  public synchronized void applied(AgentConfig next) {
    AgentConfig prev = config;
    if (!prev.listen().equals(next.listen())
        || !prev.admin().address().equals(next.admin().address())
        || prev.admin().port() != next.admin().port()
        || !prev.network().equals(next.network())) {
      log.warn(
          "listen, admin address/port and network changes take effect after a restart;"
              + " the rest of the new config is applied now");
    }
    cache.resize(next.cache().maxEntries(), next.cache().maxBytesIn(Runtime.getRuntime()));
    invalidation.configure(next.invalidation());
    settings = settingsFor(next, settings.forwarder().upstreams());
    admin.tokenFile(next.admin().tokenFile());
    if (!prev.log().equals(next.log())) {
      LogSetup.configure(next.log());
    }
    config = next;
    metrics.reloadsApplied.increment();
    log.info(
        "config reloaded: {} upstream group(s), cache of {} entries, {} migration(s)",
        next.upstreams().size(),
        next.cache().maxEntries(),
        next.migrations().size());
    if (!next.flush().id().isEmpty() && !next.flush().id().equals(prev.flush().id())) {
      flusher.flush(next.flush().id(), next.flush().names(), "config");
    }
  }

  @Override
  public void refused(ConfigException reason) {
    metrics.reloadsRefused.increment();
  }

  /** SIGUSR1: one log line with the cache's figures. */
  public void logStatistics() {
    long hits = metrics.cacheHits.sum();
    long misses = metrics.cacheMisses.sum();
    log.info(
        "cache statistics: {} entries (max {}), {} hits, {} misses ({}% hits), {} evictions,"
            + " {} served stale, {} prefetches, {} flushes, {} upstream queries in flight,"
            + " upstreams {}",
        cache.size(),
        config.cache().maxEntries(),
        hits,
        misses,
        hits + misses == 0 ? 0 : Math.round(100.0 * hits / (hits + misses)),
        metrics.evictions.sum(),
        metrics.servedStale.sum(),
        metrics.prefetches.sum(),
        metrics.flushes.sum(),
        resolver.inFlight(),
        upstreamHealth());
  }

  /** SIGUSR2: flush everything (as systemd-resolved does). */
  public void flushAll(String source) {
    flusher.flush("", List.of(), source);
  }

  /** SIGTERM: unready at once, answer on for the drain period, then stop. */
  public void drainAndClose() {
    state.draining();
    long millis = config.listen().drainPeriod().toMillis();
    log.info("draining: not ready, still answering for {} ms", millis);
    try {
      Thread.sleep(millis);
      server.stopReceivingUdp();
      Thread.sleep(QUEUE_DRAIN_MILLIS); // answer what was already queued on our sockets
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    close();
  }

  private Map<String, Boolean> upstreamHealth() {
    Map<String, Boolean> out = new TreeMap<>();
    for (UpstreamPool p : settings.forwarder().pools()) {
      for (Upstream u : p.servers()) {
        out.put(u.label(), u.isUp());
      }
    }
    return out;
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

  /** "epoll" or "nio". */
  public String transportName() {
    return transport.name();
  }

  /** The loops the upstream exchanges run on (apart from the client loops). */
  public EventLoopGroup upstreamLoops() {
    return upstreamLoops;
  }

  public QueryResolver resolver() {
    return resolver;
  }

  public DnsServer server() {
    return server;
  }

  public AgentState state() {
    return state;
  }

  public byte[] scrapeMetrics() {
    return exposition.scrape();
  }

  /** Stops listening, lets answers in flight go out, then stops the event loops. */
  @Override
  public void close() {
    upkeep.stop();
    networkCheck.shutdownNow();
    invalidation.close();
    server.stop();
    if (network.enabled()) {
      // An upgrade: the new instance already serves on the same address; leave it its setup.
      java.net.InetAddress first = config.listen().addresses().get(0);
      if (SiblingProbe.answers(first, config.listen().port())) {
        log.info(
            "another instance answers on {}: leaving the node setup in place",
            first.getHostAddress());
      } else {
        network.remove();
      }
    }
    admin.stop();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    upstreamLoops
        .shutdownGracefully(0, 2, TimeUnit.SECONDS)
        .awaitUninterruptibly(5, TimeUnit.SECONDS);
    log.info("node cache agent stopped");
  }
}
