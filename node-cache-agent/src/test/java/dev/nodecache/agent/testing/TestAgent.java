package dev.nodecache.agent.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nodecache.agent.NodeCacheAgent;
import dev.nodecache.agent.config.AgentConfig;
import dev.nodecache.agent.config.AgentConfig.CacheRules;
import dev.nodecache.agent.config.ConfigException;
import dev.nodecache.agent.config.ConfigParser;
import dev.nodecache.agent.config.ResolvConf;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

/** Starts a real agent in-process on a loopback address, with the scenario's clock. */
public final class TestAgent implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  static {
    dev.nodecache.agent.log.LogSetup.configure(
        new AgentConfig.Log(
            System.getProperty("test.logLevel", "warn"), AgentConfig.LogFormat.TEXT));
  }

  private final NodeCacheAgent agent;
  private final InetSocketAddress address;

  private TestAgent(NodeCacheAgent agent, InetSocketAddress address) {
    this.agent = agent;
    this.address = address;
  }

  /**
   * An agent on {@code listenIp} forwarding everything to {@code upstream} over UDP; {@code
   * overrides} is JSON deep-merged into that config (e.g. {@code {"cache": {"maxTtl": "10m"}}}).
   */
  public static TestAgent start(
      String listenIp, ManualTicker ticker, ScriptedUpstream upstream, String overrides)
      throws Exception {
    return start(
        listenIp, ticker, java.time.Clock.systemUTC(), configJson(listenIp, upstream, overrides));
  }

  /** An agent with exactly {@code configJson} (see {@link #configJson}). */
  public static TestAgent start(
      String listenIp, ManualTicker ticker, java.time.Clock clock, String configJson)
      throws Exception {
    AgentConfig parsed = parser().parse(configJson);
    NodeCacheAgent agent = new NodeCacheAgent(parsed, ticker, clock);
    agent.start();
    return new TestAgent(
        agent, new InetSocketAddress(InetAddress.getByName(listenIp), parsed.listen().port()));
  }

  public static ConfigParser parser() {
    return new ConfigParser(new ResolvConf(Path.of("/nonexistent")));
  }

  /** The cache rules of a config that sets none: every default. */
  public static CacheRules defaultCacheRules() {
    try {
      return parser()
          .parse(
              """
              {"listen": {"addresses": ["127.0.0.1"], "port": 5353},
               "upstreams": [{"zones": ["."], "servers": ["127.0.0.1"]}]}""")
          .cache()
          .defaults();
    } catch (ConfigException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@link #configJson} written to {@code dir/agent.json}, for an agent run as a process. */
  public static Path configFile(
      Path dir, String listenIp, ScriptedUpstream upstream, String overrides) throws IOException {
    Path file = dir.resolve("agent.json");
    Files.writeString(file, configJson(listenIp, upstream, overrides));
    return file;
  }

  /**
   * The config of an agent on {@code listenIp} (a free port) forwarding everything to {@code
   * upstream} over UDP, with {@code overrides} deep-merged into it, e.g. {@code {"cache":
   * {"maxTtl": "10m"}}}. The admin port is off unless overridden.
   */
  public static String configJson(String listenIp, ScriptedUpstream upstream, String overrides)
      throws IOException {
    int port = freePort(listenIp);
    String base =
        """
        {"listen": {"addresses": ["%s"], "port": %d, "threads": 2},
         "upstreams": [{"zones": ["."], "servers": ["%s"], "transport": "udp", "timeout": "500ms"}],
         "admin": {"port": 0}}
        """
            .formatted(listenIp, port, upstream.address());
    return merged(base, overrides);
  }

  /** {@code overrides} deep-merged into {@code base}, both JSON. */
  public static String merged(String base, String overrides) throws IOException {
    ObjectNode config = (ObjectNode) JSON.readTree(base);
    if (overrides != null && !overrides.isBlank()) {
      merge(config, JSON.readTree(overrides));
    }
    return JSON.writeValueAsString(config);
  }

  public NodeCacheAgent agent() {
    return agent;
  }

  public InetSocketAddress address() {
    return address;
  }

  public TestClient client() {
    return new TestClient(address);
  }

  /** A port free for both UDP and TCP on {@code ip} right now. */
  public static int freePort(String ip) throws IOException {
    InetAddress a = InetAddress.getByName(ip);
    for (int i = 0; i < 50; i++) {
      try (DatagramSocket u = new DatagramSocket(new InetSocketAddress(a, 0))) {
        int port = u.getLocalPort();
        try (ServerSocket t = new ServerSocket()) {
          t.bind(new InetSocketAddress(a, port));
          return port;
        } catch (IOException taken) {
          // try another
        }
      }
    }
    throw new IOException("no free port on " + ip);
  }

  private static void merge(ObjectNode into, JsonNode from) {
    Iterator<Map.Entry<String, JsonNode>> fields = from.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      JsonNode existing = into.get(f.getKey());
      if (existing instanceof ObjectNode o && f.getValue().isObject()) {
        merge(o, f.getValue());
      } else {
        into.set(f.getKey(), f.getValue());
      }
    }
  }

  @Override
  public void close() {
    agent.close();
  }
}
