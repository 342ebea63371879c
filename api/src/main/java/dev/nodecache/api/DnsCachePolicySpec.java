package dev.nodecache.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a policy asks for: where its agents run, where they listen, how they forward and cache. */
@JsonInclude(JsonInclude.Include.NON_NULL)
// Migration names are unique: checked by the API server (a CEL rule comparing every pair would
// cost more than it accepts).
@SchemaCustomizer(value = MapTypeList.class, input = "migrations:name")
public class DnsCachePolicySpec {
  /** Lower-case DNS labels separated by dots, no trailing dot. */
  public static final String CLUSTER_DOMAIN =
      "^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$";

  @JsonPropertyDescription(
      "Labels of the nodes that run this policy's agent; empty = every node."
          + " Policies must not overlap.")
  public Map<String, String> nodeSelector = new LinkedHashMap<>();

  @JsonPropertyDescription(
      "Tolerations of the agent pods; empty = tolerate everything, like" + " node-local-dns.")
  public List<Toleration> tolerations = new ArrayList<>();

  @Pattern(CLUSTER_DOMAIN)
  @Size(max = Bounds.DNS_NAME)
  @JsonPropertyDescription(
      "The cluster's DNS domain: the names invalidation follows. Default cluster.local.")
  public String clusterDomain;

  @JsonPropertyDescription("Follow Services and EndpointSlices (SPEC §3a).")
  public Invalidation invalidation;

  @Required
  @JsonPropertyDescription("Where pods reach the cache on each node.")
  public Listen listen;

  @JsonPropertyDescription(
      "Node setup done by the agent: interface and rules for the listen" + " addresses.")
  public Network network;

  @Required
  @Size(max = Bounds.UPSTREAMS)
  @JsonPropertyDescription("Upstream groups; the first matching zone (longest suffix) wins.")
  public List<UpstreamGroup> upstreams = new ArrayList<>();

  @JsonPropertyDescription("Cache size and TTL rules.")
  public CacheSpec cache;

  @Size(max = Bounds.MIGRATIONS)
  @JsonPropertyDescription(
      "DNS migrations carried out by the node layer (lower the TTL first,"
          + " cut over, flush); names are unique.")
  public List<Migration> migrations = new ArrayList<>();

  @JsonPropertyDescription("The agent pods.")
  public AgentSpec agent;
}
