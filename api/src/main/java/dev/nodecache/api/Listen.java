package dev.nodecache.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/** The node-local service addresses of the cache. */
public class Listen {
  /** A CEL rule on a list of addresses: each one is IPv4 or IPv6. */
  static final String EACH_IS_AN_ADDRESS =
      "self.all(a, a.matches('^([0-9]{1,3}\\\\.){3}[0-9]{1,3}$|^[0-9a-fA-F]*:[0-9a-fA-F:.]*$'))";

  @Required
  @Size(min = 1, max = Bounds.LISTEN_ADDRESSES)
  @ValidationRule(
      value = Listen.EACH_IS_AN_ADDRESS,
      message = "each address must be an IPv4 or IPv6 address")
  @JsonPropertyDescription("Link-local service address(es), IPv4 and IPv6, e.g. 169.254.20.10.")
  public List<@Size(max = Bounds.ADDRESS) String> addresses = new ArrayList<>();

  @Min(1)
  @Max(65535)
  @JsonPropertyDescription("DNS port, UDP and TCP. Default 53.")
  public Integer port;
}
