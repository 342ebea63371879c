package dev.nodecache.operator.dependent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nodecache.api.DnsCachePolicy;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/**
 * The agent config the reconciler rendered and validated for this reconcile, handed to the
 * dependents through the context (they must not render it again, nor resolve Services twice).
 */
public record RenderedConfig(JsonNode json, String text, String restartChecksum) {
  private static final String KEY = RenderedConfig.class.getName();
  private static final ObjectMapper JSON = new ObjectMapper();

  public void putInto(Context<DnsCachePolicy> context) {
    context.managedWorkflowAndDependentResourceContext().put(KEY, this);
  }

  static RenderedConfig of(Context<DnsCachePolicy> context) {
    return context
        .managedWorkflowAndDependentResourceContext()
        .getMandatory(KEY, RenderedConfig.class);
  }

  static JsonNode parse(String text) {
    try {
      return JSON.readTree(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
