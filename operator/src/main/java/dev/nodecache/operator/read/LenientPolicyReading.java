package dev.nodecache.operator.read;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.deser.ResolvableDeserializer;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.nodecache.api.DnsCachePolicy;
import dev.nodecache.api.DnsCachePolicyStatus;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * How the operator reads policies: a field it does not know is ignored (and remembered, so the
 * policy can say so), and a spec that does not fit the model at all gives a policy without a spec
 * (also remembered) instead of an exception. An exception there would stop the informer, and with
 * it the operator: one typo in one policy must never stop the reconciling of others.
 */
public final class LenientPolicyReading {
  private static final ThreadLocal<List<String>> IGNORED = new ThreadLocal<>();

  private LenientPolicyReading() {}

  /** A serialization for the operator's client that records what it could not read. */
  public static KubernetesSerialization serialization(ReadProblems problems) {
    ObjectMapper mapper = new ObjectMapper();
    KubernetesSerialization serialization = new KubernetesSerialization(mapper, true);
    mapper.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    mapper.addHandler(new RememberUnknownFields());
    SimpleModule module = new SimpleModule("nodecache-lenient-policies");
    module.setDeserializerModifier(
        new BeanDeserializerModifier() {
          @Override
          public JsonDeserializer<?> modifyDeserializer(
              DeserializationConfig config, BeanDescription bean, JsonDeserializer<?> d) {
            return bean.getBeanClass() == DnsCachePolicy.class
                ? new PolicyDeserializer(d, problems)
                : d;
          }
        });
    mapper.registerModule(module);
    return serialization;
  }

  /** "spec.upstreams[0].zone" from the parser's position. */
  static String path(JsonStreamContext at, String last) {
    List<String> parts = new ArrayList<>();
    for (JsonStreamContext c = at; c != null && !c.inRoot(); c = c.getParent()) {
      if (c.inArray()) {
        parts.add(0, "[" + c.getCurrentIndex() + "]");
      } else if (c.getCurrentName() != null) {
        parts.add(0, "." + c.getCurrentName());
      }
    }
    String path = String.join("", parts);
    String prefix = path.startsWith(".") ? path.substring(1) : path;
    return last == null ? prefix : prefix.isEmpty() ? last : prefix + "." + last;
  }

  private static final class RememberUnknownFields extends DeserializationProblemHandler {
    @Override
    public boolean handleUnknownProperty(
        DeserializationContext ctxt,
        JsonParser p,
        JsonDeserializer<?> deserializer,
        Object beanOrClass,
        String propertyName)
        throws IOException {
      List<String> ignored = IGNORED.get();
      if (ignored != null) {
        ignored.add(path(p.getParsingContext().getParent(), propertyName));
      }
      p.skipChildren();
      return true;
    }
  }

  private static final class PolicyDeserializer extends DelegatingDeserializer {
    private final ReadProblems problems;

    PolicyDeserializer(JsonDeserializer<?> delegate, ReadProblems problems) {
      super(delegate);
      this.problems = problems;
    }

    @Override
    protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> delegate) {
      return new PolicyDeserializer(delegate, problems);
    }

    @Override
    public void resolve(DeserializationContext ctxt)
        throws com.fasterxml.jackson.databind.JsonMappingException {
      if (_delegatee instanceof ResolvableDeserializer r) {
        r.resolve(ctxt);
      }
    }

    @Override
    public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      JsonNode tree = ctxt.readTree(p);
      List<String> outer = IGNORED.get();
      List<String> ignored = new ArrayList<>();
      IGNORED.set(ignored);
      try (JsonParser sub = tree.traverse(p.getCodec())) {
        sub.nextToken();
        DnsCachePolicy policy = (DnsCachePolicy) _delegatee.deserialize(sub, ctxt);
        ignored.removeIf(f -> !f.startsWith("spec")); // only the spec is ours to read
        if (!ignored.isEmpty() && policy.getMetadata() != null) {
          problems.record(
              policy.getMetadata().getUid(),
              policy.getMetadata().getResourceVersion(),
              new ReadProblems.Problems(List.copyOf(ignored), null));
        }
        return policy;
      } catch (com.fasterxml.jackson.databind.JsonMappingException e) {
        return unreadable(tree, e, ctxt);
      } finally {
        IGNORED.set(outer);
      }
    }

    /** The policy's metadata (and status, if readable) without a spec, and why. */
    private DnsCachePolicy unreadable(
        JsonNode tree,
        com.fasterxml.jackson.databind.JsonMappingException e,
        DeserializationContext ctxt)
        throws IOException {
      DnsCachePolicy shell = new DnsCachePolicy();
      shell.setMetadata(ctxt.readTreeAsValue(tree.path("metadata"), ObjectMeta.class));
      try {
        if (tree.has("status")) {
          shell.setStatus(ctxt.readTreeAsValue(tree.get("status"), DnsCachePolicyStatus.class));
        }
      } catch (com.fasterxml.jackson.databind.JsonMappingException ignoredStatus) {
        shell.setStatus(null); // rewritten by the next status write
      }
      shell.setSpec(null);
      String field = path(e.getPath());
      problems.record(
          shell.getMetadata().getUid(),
          shell.getMetadata().getResourceVersion(),
          new ReadProblems.Problems(
              List.of(), (field.isEmpty() ? "" : field + ": ") + e.getOriginalMessage()));
      return shell;
    }

    private static String path(
        List<com.fasterxml.jackson.databind.JsonMappingException.Reference> refs) {
      StringBuilder b = new StringBuilder();
      for (var r : refs) {
        if (r.getFieldName() != null) {
          b.append(b.length() == 0 ? "" : ".").append(r.getFieldName());
        } else if (r.getIndex() >= 0) {
          b.append('[').append(r.getIndex()).append(']');
        }
      }
      return b.toString();
    }
  }
}
