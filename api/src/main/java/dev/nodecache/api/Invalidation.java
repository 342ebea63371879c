package dev.nodecache.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/** Whether the agents follow the cluster's Services and EndpointSlices (SPEC §3a). */
public class Invalidation {
  @JsonPropertyDescription(
      "Invalidate the cluster names a Service or EndpointSlice change affects, on every node,"
          + " within a second. Default true.")
  public Boolean enabled;

  @Pattern(Durations.PATTERN)
  @Size(max = Bounds.DURATION)
  @JsonPropertyDescription(
      "How long a cluster answer stays cached while the node follows the API; clients still"
          + " see the cluster DNS's TTL. At most 1h. Default 5m.")
  public String holdFor;
}
