package dev.nodecache.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** The TTL rules, of the whole cache or of some zones. */
@ValidationRule(
    value =
        "!has(self.minTtl) || !has(self.maxTtl)"
            + " || duration(self.minTtl) <= duration(self.maxTtl)",
    message = "minTtl must not be more than maxTtl")
public class CacheRules {
  @Pattern(Durations.PATTERN)
  @Size(max = Bounds.DURATION)
  @JsonPropertyDescription("Served TTLs are at least this. Default 0s.")
  public String minTtl;

  @Pattern(Durations.PATTERN)
  @Size(max = Bounds.DURATION)
  @JsonPropertyDescription("Served TTLs are at most this. Default 1h.")
  public String maxTtl;

  @JsonPropertyDescription("RFC 2308 negative caching: min(SOA TTL, SOA MINIMUM), capped here.")
  public Negative negative;

  @Pattern(Durations.PATTERN)
  @Size(max = Bounds.DURATION)
  @ValidationRule(value = "duration(self) <= duration('5m')", message = "servfailTtl is at most 5m")
  @JsonPropertyDescription("How long SERVFAIL is cached; 0s disables. Default 5s.")
  public String servfailTtl;

  @JsonPropertyDescription("RFC 8767 serve-stale.")
  public ServeStale serveStale;

  @JsonPropertyDescription("Background refresh of popular entries near expiry.")
  public Prefetch prefetch;

  /** Negative caching. */
  public static class Negative {
    @Pattern(Durations.PATTERN)
    @Size(max = Bounds.DURATION)
    @JsonPropertyDescription("Cap on NXDOMAIN/NODATA lifetime. Default 5m.")
    public String maxTtl;
  }

  /** RFC 8767. */
  public static class ServeStale {
    public Boolean enabled;

    @Pattern(Durations.PATTERN)
    @Size(max = Bounds.DURATION)
    public String maxStale;

    @Pattern(Durations.PATTERN)
    @Size(max = Bounds.DURATION)
    public String clientTimeout;

    @Pattern(Durations.PATTERN)
    @Size(max = Bounds.DURATION)
    @ValidationRule(
        value = "duration(self) > duration('0s')",
        message = "answerTtl must be more than 0s")
    public String answerTtl;
  }

  /** Prefetch. */
  public static class Prefetch {
    public Boolean enabled;

    @Min(1)
    public Integer minHits;

    @Min(1)
    @Max(99)
    public Integer remainingPercent;
  }
}
