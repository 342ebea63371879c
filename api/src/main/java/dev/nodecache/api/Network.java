package dev.nodecache.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/** Node networking the agent sets up (SPEC §7). */
public class Network {
  @JsonPropertyDescription("Create an interface holding the listen addresses. Default true.")
  public Boolean setupInterface;

  @JsonPropertyDescription("Install NOTRACK/ACCEPT rules for them. Default true.")
  public Boolean setupRules;

  @Size(max = Bounds.INTERCEPTED_ADDRESSES)
  @ValidationRule(
      value = Listen.EACH_IS_AN_ADDRESS,
      message = "each address must be an IPv4 or IPv6 address")
  @JsonPropertyDescription("Also answer on these addresses, e.g. the kube-dns ClusterIP.")
  public List<@Size(max = Bounds.ADDRESS) String> interceptClusterDns = new ArrayList<>();
}
