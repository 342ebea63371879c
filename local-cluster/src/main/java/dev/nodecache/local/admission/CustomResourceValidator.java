package dev.nodecache.local.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One custom resource definition's schema and CEL rules, ready to validate objects of it.
 *
 * <p>On a write the embedded API calls, in the API server's order: {@link #prune}, {@link
 * #applyDefaults}, {@link #validate}. Not imitated: validation ratcheting of unchanged fields on
 * update, the CEL cost budgets, metadata validation, and string formats typed as CEL durations or
 * timestamps (they are strings here).
 */
public final class CustomResourceValidator {
  private final SchemaNode root;
  private final CelRules rules;

  private CustomResourceValidator(SchemaNode root) {
    this.root = root;
    this.rules = CelRules.compile(root);
  }

  /**
   * The validator of a CRD (apiextensions.k8s.io/v1, as JSON), from the openAPIV3Schema of its
   * storage version (or else the first served one).
   */
  public static CustomResourceValidator of(JsonNode crd) {
    JsonNode chosen = null;
    for (JsonNode version : crd.path("spec").path("versions")) {
      if (version.path("storage").asBoolean(false)) {
        chosen = version;
        break;
      }
      if (chosen == null && version.path("served").asBoolean(false)) {
        chosen = version;
      }
    }
    JsonNode schema = chosen == null ? null : chosen.path("schema").get("openAPIV3Schema");
    if (schema == null || !schema.isObject()) {
      throw new IllegalArgumentException(
          "CRD " + crd.path("metadata").path("name").asText() + " has no openAPIV3Schema");
    }
    return new CustomResourceValidator(SchemaNode.parse(schema));
  }

  /**
   * Removes fields the schema does not know (as the API server prunes), returning their paths like
   * "spec.cache.maxTTL"; mutates {@code object}. metadata/apiVersion/kind are never pruned;
   * x-kubernetes-preserve-unknown-fields is honoured.
   */
  public List<String> prune(ObjectNode object) {
    return UnknownFields.prune(root, object);
  }

  /** Applies schema defaults ({@code default:}) in place, as the API server does. */
  public void applyDefaults(ObjectNode object) {
    Defaults.apply(root, object);
  }

  /**
   * Validates against the OpenAPI schema, the list types' uniqueness, and then the CEL rules, with
   * {@code oldSelf} from {@code oldObject} (the stored object on update, null on create: transition
   * rules are then skipped). As on the API server, the rules are not run when the schema already
   * found a missing, mistyped, unsupported, too long or too large value. Empty list = valid.
   */
  public List<Cause> validate(JsonNode object, JsonNode oldObject) {
    List<Cause> causes = new ArrayList<>(SchemaValidation.validate(root, object));
    causes.addAll(ListTypes.validate(root, object));
    if (causes.stream().anyMatch(c -> FieldErrors.BLOCKING.contains(c.reason()))) {
      causes.add(
          FieldErrors.invalid(
              "",
              GoText.quote("null"),
              "some validation rules were not checked because the object was invalid; correct the"
                  + " existing errors to complete validation"));
      return causes;
    }
    causes.addAll(rules.validate(root, object, oldObject));
    return causes;
  }

  /** The compiled rules, for tests that check every rule of a CRD. */
  List<CelRule> rules() {
    return rules.all();
  }

  /** The structural schema, for tests that walk it. */
  SchemaNode schema() {
    return root;
  }
}
