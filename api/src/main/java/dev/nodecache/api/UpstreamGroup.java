package dev.nodecache.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/** Upstream servers for some zones. */
@ValidationRule(
    value = "!(has(self.serviceRef) && has(self.servers) && size(self.servers) > 0)",
    message = "use serviceRef or servers, not both")
public class UpstreamGroup {
  public enum Transport {
    @JsonProperty("udp")
    UDP,
    @JsonProperty("tcp")
    TCP,
    @JsonProperty("prefer-udp")
    PREFER_UDP
  }

  public enum Policy {
    @JsonProperty("sequential")
    SEQUENTIAL,
    @JsonProperty("round-robin")
    ROUND_ROBIN,
    @JsonProperty("random")
    RANDOM
  }

  @Required
  @Size(min = 1, max = Bounds.ZONES)
  @JsonPropertyDescription("Zones this group serves, e.g. [cluster.local]; \".\" is everything.")
  public List<@Size(max = Bounds.DNS_NAME) String> zones = new ArrayList<>();

  @JsonPropertyDescription("A Service whose ClusterIP is the upstream, e.g. kube-dns.")
  public ServiceRef serviceRef;

  @Size(max = Bounds.SERVERS)
  @ValidationRule(
      value = "self.all(s, s.matches('^(\\\\[[0-9a-fA-F:.]+\\\\]|[0-9a-fA-F:.]+)(:[0-9]{1,5})?$'))",
      message = "a server is ip, ip:port, [v6]:port or a bare IPv6 address")
  @JsonPropertyDescription(
      "Server addresses; empty (and no serviceRef) = the node's" + " /etc/resolv.conf.")
  public List<@Size(max = Bounds.SERVER) String> servers = new ArrayList<>();

  @JsonPropertyDescription("udp | tcp | prefer-udp (UDP, TCP on truncation). Default prefer-udp.")
  public Transport transport;

  @JsonPropertyDescription("sequential | round-robin | random. Default sequential.")
  public Policy policy;

  @Pattern(Durations.PATTERN)
  @Size(max = Bounds.DURATION)
  @JsonPropertyDescription("Per-attempt timeout, e.g. 2s.")
  public String timeout;

  @Min(1)
  @Max(4096)
  @JsonPropertyDescription(
      "Queries outstanding to each server at once, at most; the others wait their turn (up to the"
          + " timeout). Bounds what a node sends its upstream after a flush. Default 150.")
  public Integer maxConcurrent;

  /** A Service reference. */
  public static class ServiceRef {
    @Required
    @Size(max = Bounds.LABEL)
    public String name;

    @Required
    @Size(max = Bounds.LABEL)
    public String namespace;
  }
}
