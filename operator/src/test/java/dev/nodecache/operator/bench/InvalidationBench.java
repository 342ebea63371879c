package dev.nodecache.operator.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nodecache.api.AgentSpec;
import dev.nodecache.api.DnsCachePolicy;
import dev.nodecache.api.UpstreamGroup;
import dev.nodecache.operator.Fixtures;
import dev.nodecache.operator.PolicyNames;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The invalidation stream to 1,000 agents (bench/invalidation-bench.sh): the operator jar runs as
 * its own process against the fabric8 mock API; the agents are 1,000 loopback addresses answered by
 * one server that takes the invalidation WebSocket ({@code GET /invalidate}) and acknowledges each
 * message as an agent does (stream, applied). Each Service write is timed from just before the API
 * call to each agent receiving its name, and to the last of the agents receiving it ("every node").
 * Phases: 50 changes/s for 60 s, a burst of 1,000, then 10,000 Services at once and 50,000
 * EndpointSlices (which must invalidate nothing); then the operator's heap after GC, its RSS and
 * CPU time.
 */
public final class InvalidationBench {
  static final String NS = "nodecache-system";
  static final ObjectMapper JSON = new ObjectMapper();
  static final String DOMAIN = "cluster.local";

  public static void main(String[] args) throws Exception {
    int agentCount = Integer.parseInt(args.length > 0 ? args[0] : "1000");
    Path jar = Path.of(args.length > 1 ? args[1] : "operator/target/nodecache-operator.jar");
    int slicesPerService = Integer.parseInt(args.length > 2 ? args[2] : "5");
    KubernetesMockServer server = dev.nodecache.operator.MockApi.crud();
    KubernetesClient client = server.createClient();
    Fixtures.prepareCluster(client);
    FakeAgents agents = new FakeAgents(agentCount);
    try (OperatorProcess operator = OperatorProcess.start(jar, server.getPort())) {
      DnsCachePolicy p = Fixtures.examplePolicy("default-policy.yaml");
      UpstreamGroup all = new UpstreamGroup();
      all.zones = List.of(".");
      all.servers = List.of("127.0.0.1:53"); // never queried: the agents here are not DNS servers
      p.getSpec().upstreams = new ArrayList<>(List.of(all));
      p.getSpec().agent = new AgentSpec();
      p.getSpec().agent.adminPort = agents.port();
      client.resource(p).create();
      for (int i = 0; i < agentCount; i++) {
        client.pods().inNamespace(NS).resource(agentPod(p, i)).create();
      }
      long deadline = System.nanoTime() + 120_000_000_000L;
      while (agents.following() < agentCount && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      System.out.printf(
          "%d of %d agents following; lag = API write -> agent has the names (ms)%n",
          agents.following(), agentCount);
      long cpu0 = operator.cpuMillis();
      Writer w = new Writer(client, agents);
      agents.phase("sustained: 50 Service creates/s for 60 s");
      w.services(50 * 60, 60);
      agents.settle();
      agents.report();
      agents.phase("burst: 1,000 Service creates at once");
      w.services(1000, 0);
      agents.settle();
      agents.report();
      agents.phase("10,000 Services in the cluster: the other 6,000 created at once");
      w.services(10_000 - w.created, 0);
      agents.settle();
      agents.report();
      if (slicesPerService > 0) {
        agents.phase(
            String.format(
                "%,d EndpointSlices (%d per ClusterIP Service) created: no invalidation",
                slicesPerService * w.created, slicesPerService));
        w.slices(slicesPerService);
        agents.settle();
        agents.report();
      }
      System.out.printf(
          "operator: heap after GC %.1f MiB with %d Services and %d EndpointSlices; %s;"
              + " CPU time for all phases %d ms%n",
          operator.heapAfterGcMiB(),
          w.created,
          w.sliceCount,
          operator.rss(),
          operator.cpuMillis() - cpu0);
    } finally {
      agents.close();
      client.close();
      server.destroy();
    }
  }

  static io.fabric8.kubernetes.api.model.Pod agentPod(DnsCachePolicy p, int i) {
    String ip = "127.0." + (70 + i / 250) + "." + (i % 250 + 1);
    return new PodBuilder()
        .withNewMetadata()
        .withName("agent-" + i)
        .withNamespace(NS)
        .withUid("uid-" + i)
        .withLabels(PolicyNames.selector(p))
        .endMetadata()
        .withNewSpec()
        .withNodeName("node-" + i)
        .endSpec()
        .withNewStatus()
        .withPhase("Running")
        .withPodIP(ip)
        .withHostIP(ip)
        .endStatus()
        .build();
  }

  /** Writes Services at a rate, and EndpointSlices for them, noting when each name was written. */
  static final class Writer {
    final KubernetesClient client;
    final FakeAgents agents;
    int created;
    int sliceCount;

    Writer(KubernetesClient client, FakeAgents agents) {
      this.client = client;
      this.agents = agents;
    }

    /** {@code count} Service creates spread over {@code seconds} (0: as fast as the API takes). */
    void services(int count, int seconds) throws InterruptedException {
      int perSecond = seconds == 0 ? 0 : count / seconds;
      int total = seconds == 0 ? count : perSecond * seconds;
      long start = System.nanoTime();
      for (int i = 0; i < total; i++) {
        if (perSecond > 0) {
          long wait = start + i * 1_000_000_000L / perSecond - System.nanoTime();
          if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
          }
        }
        int n = created++;
        String name = "svc-" + n;
        agents.written(n);
        client
            .services()
            .inNamespace("default")
            .resource(
                new ServiceBuilder()
                    .withNewMetadata()
                    .withName(name)
                    .withNamespace("default")
                    .endMetadata()
                    .withNewSpec()
                    .withClusterIP(
                        "10." + (96 + n / 65_000) + "." + (n / 250 % 250) + "." + (n % 250 + 1))
                    .addNewPort()
                    .withName("http")
                    .withProtocol("TCP")
                    .withPort(80)
                    .endPort()
                    .endSpec()
                    .build())
            .create();
      }
      System.out.printf(
          "  %d changes written in %.1f s%n", total, (System.nanoTime() - start) / 1e9);
    }

    void slices(int perService) {
      long start = System.nanoTime();
      // Four writers: one create waits for the mock API's answer, and 50,000 of them in a row take
      // longer than the rest of the benchmark.
      java.util.concurrent.atomic.AtomicInteger made =
          new java.util.concurrent.atomic.AtomicInteger();
      java.util.concurrent.ForkJoinPool writers = new java.util.concurrent.ForkJoinPool(4);
      writers
          .submit(
              () ->
                  java.util.stream.IntStream.range(0, created)
                      .parallel()
                      .forEach(
                          s -> {
                            for (int k = 0; k < perService; k++) {
                              client
                                  .discovery()
                                  .v1()
                                  .endpointSlices()
                                  .inNamespace("default")
                                  .resource(
                                      new EndpointSliceBuilder()
                                          .withNewMetadata()
                                          .withName("svc-" + s + "-" + k)
                                          .withNamespace("default")
                                          .addToLabels("kubernetes.io/service-name", "svc-" + s)
                                          .endMetadata()
                                          .withAddressType("IPv4")
                                          .addNewEndpoint()
                                          .withAddresses("10.244." + (k + 1) + "." + (s % 250 + 1))
                                          .withNewConditions()
                                          .withReady(true)
                                          .endConditions()
                                          .endEndpoint()
                                          .addNewPort()
                                          .withName("http")
                                          .withProtocol("TCP")
                                          .withPort(8080)
                                          .endPort()
                                          .build())
                                  .create();
                              made.incrementAndGet();
                            }
                          }))
          .join();
      writers.shutdown();
      sliceCount = made.get();
      System.out.printf(
          "  %d EndpointSlices written in %.1f s%n", sliceCount, (System.nanoTime() - start) / 1e9);
    }
  }

  /**
   * 1,000 agents behind one server (Netty, on two threads): each acknowledges every message as
   * applied. Batches come in order and Services are created in order (svc-0, svc-1, ...), so the
   * last Service name in a request tells which Services an agent has now received: each of those is
   * timed against its write without parsing the whole body (the harness shares the machine's two
   * cores with the operator, and a real agent parses only its own requests). Lags go into 1 ms
   * histograms.
   */
  static final class FakeAgents implements AutoCloseable {
    private static final int BUCKETS = 60_000;
    private static final int MAX_SERVICES = 20_000;
    private final int count;
    private final EventLoopGroup loops = new NioEventLoopGroup(2);
    private final Channel server;
    private final Map<String, Long> appliedByAgent = new ConcurrentHashMap<>();
    private final Map<String, int[]> lastServiceByAgent = new ConcurrentHashMap<>();
    private final long[] writtenAt = new long[MAX_SERVICES];
    private final java.util.concurrent.atomic.AtomicIntegerArray receivedBy =
        new java.util.concurrent.atomic.AtomicIntegerArray(MAX_SERVICES);
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong names = new AtomicLong();
    private final AtomicLong resyncs = new AtomicLong();
    private volatile AtomicLongArray perAgent = new AtomicLongArray(BUCKETS);
    private volatile AtomicLongArray everyNode = new AtomicLongArray(BUCKETS);
    private volatile int written;
    private int phaseFirst;
    private long requests0;
    private long names0;
    private long resyncs0;
    private long phaseStart;

    FakeAgents(int count) throws InterruptedException {
      this.count = count;
      server =
          new ServerBootstrap()
              .group(loops)
              .channel(NioServerSocketChannel.class)
              .childHandler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                      ch.pipeline()
                          .addLast(new HttpServerCodec())
                          .addLast(new HttpObjectAggregator(64 * 1024))
                          .addLast(
                              new WebSocketServerProtocolHandler(
                                  "/invalidate", null, false, 8 * 1024 * 1024))
                          .addLast(
                              new SimpleChannelInboundHandler<TextWebSocketFrame>() {
                                @Override
                                protected void channelRead0(
                                    ChannelHandlerContext ctx, TextWebSocketFrame frame) {
                                  String agent =
                                      ((InetSocketAddress) ctx.channel().localAddress())
                                          .getAddress()
                                          .getHostAddress();
                                  ctx.writeAndFlush(
                                      new TextWebSocketFrame(invalidate(agent, frame.text())));
                                }
                              });
                    }
                  })
              .bind(new InetSocketAddress("0.0.0.0", 0))
              .sync()
              .channel();
    }

    int port() {
      return ((InetSocketAddress) server.localAddress()).getPort();
    }

    int following() {
      return appliedByAgent.size();
    }

    /** Service number n is about to be written. */
    void written(int n) {
      writtenAt[n] = System.nanoTime();
      written = n + 1;
    }

    /** One message from the operator to {@code agent}; the reply. */
    private String invalidate(String agent, String body) {
      long now = System.nanoTime();
      requests.incrementAndGet();
      long after = number(body, "\"after\":");
      long to = number(body, "\"to\":");
      Long had = appliedByAgent.get(agent);
      boolean resync = had == null || after > had || (after == to && had < to);
      if (resync && had != null) {
        resyncs.incrementAndGet();
      }
      int at = body.lastIndexOf("\"*.svc-");
      if (at >= 0) {
        int last = Integer.parseInt(body.substring(at + 7, body.indexOf('.', at + 7)));
        int[] mine = lastServiceByAgent.computeIfAbsent(agent, k -> new int[] {-1});
        int from;
        synchronized (mine) {
          from = mine[0] + 1;
          mine[0] = Math.max(mine[0], last);
        }
        for (int n = from; n <= last; n++) {
          names.incrementAndGet();
          int ms = (int) Math.min(BUCKETS - 1, (now - writtenAt[n]) / 1_000_000);
          perAgent.incrementAndGet(ms);
          if (receivedBy.incrementAndGet(n) == count) {
            everyNode.incrementAndGet(ms);
          }
        }
      }
      appliedByAgent.merge(agent, to, Math::max);
      return "{\"stream\":\""
          + body.substring(body.indexOf("\"stream\":\"") + 10, body.indexOf("\",\"after\""))
          + "\",\"applied\":"
          + to
          + ",\"removed\":0,\"resynced\":"
          + resync
          + "}";
    }

    private static long number(String body, String key) {
      int i = body.indexOf(key) + key.length();
      int j = i;
      while (j < body.length() && (Character.isDigit(body.charAt(j)) || body.charAt(j) == '-')) {
        j++;
      }
      return Long.parseLong(body.substring(i, j));
    }

    void phase(String title) {
      System.out.println(title);
      phaseFirst = written;
      requests0 = requests.get();
      names0 = names.get();
      resyncs0 = resyncs.get();
      perAgent = new AtomicLongArray(BUCKETS);
      everyNode = new AtomicLongArray(BUCKETS);
      phaseStart = System.nanoTime();
    }

    private int incomplete() {
      int n = 0;
      for (int i = phaseFirst; i < written; i++) {
        if (receivedBy.get(i) < count) {
          n++;
        }
      }
      return n;
    }

    /** Waits until every Service written reached every agent, or 30 s without progress. */
    void settle() throws InterruptedException {
      long lastNames = -1;
      long quietSince = System.nanoTime();
      while (incomplete() > 0) {
        if (names.get() != lastNames) {
          lastNames = names.get();
          quietSince = System.nanoTime();
        } else if (System.nanoTime() - quietSince > 30_000_000_000L) {
          break;
        }
        Thread.sleep(50);
      }
      Thread.sleep(2500); // one heartbeat round, so the request rate includes it
    }

    void report() {
      double secs = (System.nanoTime() - phaseStart) / 1e9;
      System.out.printf(
          "  %d messages to agents (%.0f/s over %.1f s), %d Service names received, %d resyncs;"
              + " Services not at every agent: %d%n",
          requests.get() - requests0,
          (requests.get() - requests0) / secs,
          secs,
          names.get() - names0,
          resyncs.get() - resyncs0,
          incomplete());
      System.out.println("  lag per agent:  " + percentiles(perAgent));
      System.out.println("  lag every node: " + percentiles(everyNode));
    }

    static String percentiles(AtomicLongArray h) {
      long total = 0;
      for (int i = 0; i < h.length(); i++) {
        total += h.get(i);
      }
      if (total == 0) {
        return "no samples";
      }
      int[] ps = {50, 90, 99};
      StringBuilder out = new StringBuilder();
      long seen = 0;
      int p = 0;
      int max = 0;
      for (int i = 0; i < h.length(); i++) {
        seen += h.get(i);
        while (p < ps.length && seen * 100 >= total * ps[p]) {
          out.append("p").append(ps[p]).append(' ').append(i).append(" ms, ");
          p++;
        }
        if (h.get(i) > 0) {
          max = i;
        }
      }
      return out.append("max ")
          .append(max)
          .append(" ms (")
          .append(total)
          .append(" samples)")
          .toString();
    }

    @Override
    public void close() {
      server.close().syncUninterruptibly();
      loops.shutdownGracefully();
    }
  }
}
