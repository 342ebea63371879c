package dev.nodecache.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

/** The agent pods. */
public class AgentSpec {
  public enum LogLevel {
    @JsonProperty("error")
    ERROR,
    @JsonProperty("warn")
    WARN,
    @JsonProperty("info")
    INFO,
    @JsonProperty("debug")
    DEBUG
  }

  @JsonPropertyDescription("Agent image; default: the operator's own version.")
  public String image;

  @JsonPropertyDescription(
      "The agent container's resources. The memory limit sizes the JVM heap and cache.maxBytes by"
          + " the memory rule (README); without one it is derived from cache.maxEntries. The memory"
          + " request defaults to the limit.")
  public ResourceRequirements resources;

  @Min(1)
  @Max(65535)
  @JsonPropertyDescription("Metrics, health and admin API port. Default 9253.")
  public Integer adminPort;

  public LogLevel logLevel;
}
