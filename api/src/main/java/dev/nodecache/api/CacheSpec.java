package dev.nodecache.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

/** Cache size and TTL rules; the rules may be overridden per zone. */
public class CacheSpec extends CacheRules {
  @Min(1)
  @Max(100000000)
  @JsonPropertyDescription("Entries at most. Default 100000.")
  public Integer maxEntries;

  @Size(max = Bounds.ZONE_RULES)
  @JsonPropertyDescription("Per-zone overrides of the TTL rules.")
  public List<ZoneRules> zones = new ArrayList<>();

  /** Overrides for some zones. */
  public static class ZoneRules extends CacheRules {
    @Required
    @Size(min = 1, max = Bounds.ZONES)
    public List<@Size(max = Bounds.DNS_NAME) String> zones = new ArrayList<>();
  }
}
