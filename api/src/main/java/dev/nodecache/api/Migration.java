package dev.nodecache.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

/** One DNS migration, carried out relative to its cutover time (SPEC §4). */
public class Migration {
  @Required
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
  @Size(max = Bounds.LABEL)
  public String name;

  @Required
  @Size(min = 1, max = Bounds.MIGRATED_NAMES)
  @JsonPropertyDescription("Names migrated; \"*.\" prefix = the whole subtree.")
  public List<@Size(max = Bounds.DNS_NAME) String> names = new ArrayList<>();

  @Required
  @Pattern(
      "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$")
  @Size(max = Bounds.TIMESTAMP)
  @JsonPropertyDescription("RFC 3339 time of the cutover, e.g. 2026-12-01T10:00:00Z.")
  public String cutoverAt;

  @Pattern(Durations.PATTERN)
  @Size(max = Bounds.DURATION)
  @JsonPropertyDescription("TTL cap for the names while draining. Default 30s.")
  public String ttlDuringMigration;

  @Pattern("^auto$|^([0-9]+(ms|s|m|h))+$")
  @Size(max = Bounds.DURATION)
  @JsonPropertyDescription(
      "How long before the cutover the cap starts; auto = effective max TTL" + " + 20%.")
  public String drainLead;
}
