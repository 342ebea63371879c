package dev.nodecache.operator.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nodecache.api.DnsCachePolicy;
import dev.nodecache.api.DnsCachePolicySpec;
import dev.nodecache.api.UpstreamGroup;
import dev.nodecache.operator.PolicyNames;
import dev.nodecache.operator.flush.FlushRequest;
import dev.nodecache.operator.invalidation.InvalidationSettings;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * The agent config (SPEC §5) of a policy: the spec's own fields under the same names, with service
 * references resolved to ClusterIPs, plus admin, log and network. A pure function of the policy and
 * the resolved addresses, so its output can be compared byte for byte.
 */
public final class AgentConfigRenderer {
  public static final int DEFAULT_ADMIN_PORT = 9253;
  public static final String ADMIN_ADDRESS = "0.0.0.0";
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
          .setSerializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL);

  private AgentConfigRenderer() {}

  /** A service reference as "namespace/name", the key of {@code serviceIps}. */
  public static String key(UpstreamGroup.ServiceRef ref) {
    return ref.namespace + "/" + ref.name;
  }

  /**
   * The rendered config; {@code serviceIps} holds the ClusterIP of every referenced Service (see
   * {@link ServiceRefs}).
   */
  public static ObjectNode render(DnsCachePolicy policy, Map<String, String> serviceIps) {
    DnsCachePolicySpec spec = policy.getSpec();
    ObjectNode config = JSON.createObjectNode();
    config.set("listen", JSON.valueToTree(spec.listen));
    ArrayNode upstreams = config.putArray("upstreams");
    for (UpstreamGroup g : spec.upstreams) {
      ObjectNode u = JSON.valueToTree(g);
      u.remove("serviceRef");
      if (g.serviceRef != null) {
        String ip = serviceIps.get(key(g.serviceRef));
        ArrayNode servers = u.putArray("servers");
        if (ip != null) {
          servers.add(ip);
        }
      }
      upstreams.add(u);
    }
    ObjectNode cache =
        spec.cache != null ? (ObjectNode) JSON.valueToTree(spec.cache) : JSON.createObjectNode();
    cache.put("maxBytes", AgentMemory.of(spec).cacheBytes()); // PolicyValidator checked it
    config.set("cache", cache);
    if (spec.migrations != null && !spec.migrations.isEmpty()) {
      config.set("migrations", JSON.valueToTree(spec.migrations));
    }
    FlushRequest flush = FlushRequest.of(policy);
    if (flush != null && !flush.refused()) {
      ObjectNode f = config.putObject("flush");
      f.put("id", flush.id());
      flush.names().forEach(f.putArray("names")::add);
    }
    ObjectNode admin = config.putObject("admin");
    // On every address of the node: the operator reaches each agent at its pod (= node) IP.
    admin.put("address", ADMIN_ADDRESS);
    admin.put("port", adminPort(policy));
    admin.put("tokenFile", PolicyNames.TOKEN_DIR + "/" + PolicyNames.TOKEN_KEY);
    ObjectNode network = config.putObject("network");
    boolean setupInterface =
        spec.network == null || spec.network.setupInterface == null || spec.network.setupInterface;
    boolean setupRules =
        spec.network == null || spec.network.setupRules == null || spec.network.setupRules;
    network.put("setupInterface", setupInterface);
    network.put("setupRules", setupRules);
    ArrayNode intercept = network.putArray("interceptClusterDns");
    if (spec.network != null && spec.network.interceptClusterDns != null) {
      spec.network.interceptClusterDns.forEach(intercept::add);
    }
    ObjectNode log = config.putObject("log");
    log.put(
        "level",
        spec.agent == null || spec.agent.logLevel == null
            ? "info"
            : spec.agent.logLevel.name().toLowerCase(java.util.Locale.ROOT));
    if (InvalidationSettings.follows(spec)) {
      ObjectNode inv = config.putObject("invalidation");
      inv.putArray("zones").add(InvalidationSettings.domain(spec));
      inv.put("hold", InvalidationSettings.holdFor(spec));
      inv.put("lease", InvalidationSettings.LEASE);
      inv.put("settle", InvalidationSettings.SETTLE);
    }
    stripEmpty(config);
    return config;
  }

  public static int adminPort(DnsCachePolicy policy) {
    return policy.getSpec().agent == null || policy.getSpec().agent.adminPort == null
        ? DEFAULT_ADMIN_PORT
        : policy.getSpec().agent.adminPort;
  }

  public static String toText(JsonNode config) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(config) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The checksum of what an agent cannot hot-reload (listen, admin, network): it goes on the pod
   * template, so changing one of those rolls the DaemonSet and changing anything else does not.
   */
  public static String restartChecksum(JsonNode config) {
    ObjectNode restart = JSON.createObjectNode();
    for (String field : new String[] {"listen", "admin", "network"}) {
      if (config.has(field)) {
        restart.set(field, config.get(field));
      }
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(JSON.writeValueAsString(restart).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Empty lists and objects from the model's defaults say nothing; the agent has defaults. */
  private static void stripEmpty(JsonNode node) {
    if (node instanceof ObjectNode o) {
      var names = new java.util.ArrayList<String>();
      o.fieldNames().forEachRemaining(names::add);
      for (String n : names) {
        JsonNode v = o.get(n);
        stripEmpty(v);
        if (v.isNull() || (v.isContainerNode() && v.isEmpty() && !keepEmpty(n))) {
          o.remove(n);
        }
      }
    } else if (node instanceof ArrayNode a) {
      a.forEach(AgentConfigRenderer::stripEmpty);
    }
  }

  /** An empty server list means "the node's resolv.conf", empty flush names "everything". */
  private static boolean keepEmpty(String field) {
    return field.equals("servers") || field.equals("interceptClusterDns") || field.equals("names");
  }
}
