package dev.nodecache.local.admission;

import static dev.nodecache.local.admission.CommittedCrd.yaml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The API server behaviours our own CRD does not exercise, on small CRDs written here. */
class SchemaBehaviourTest {
  static CustomResourceValidator crd(String openApiV3Schema) {
    return CustomResourceValidator.of(
        yaml(
            """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: widgets.example.dev}
            spec:
              group: example.dev
              names: {kind: Widget, plural: widgets}
              scope: Namespaced
              versions:
              - name: v1beta1
                served: true
                storage: false
                schema: {openAPIV3Schema: {type: object}}
              - name: v1
                served: true
                storage: true
                schema:
                  openAPIV3Schema:
            """
                + openApiV3Schema.indent(10)));
  }

  static ObjectNode widget(String spec) {
    return yaml(
        "apiVersion: example.dev/v1\nkind: Widget\nmetadata: {name: w}\nspec:\n" + spec.indent(2));
  }

  static final CustomResourceValidator TRANSITIONS =
      crd(
          """
          type: object
          properties:
            spec:
              type: object
              properties:
                size: {type: integer}
                owner:
                  type: string
                  x-kubernetes-validations:
                  - {rule: "self == oldSelf", message: owner is immutable}
                ports:
                  type: array
                  x-kubernetes-list-type: map
                  x-kubernetes-list-map-keys: [name]
                  items:
                    type: object
                    required: [name]
                    properties:
                      name: {type: string}
                      number:
                        type: integer
                        x-kubernetes-validations:
                        - {rule: "self >= oldSelf", message: a port number only grows}
              x-kubernetes-validations:
              - rule: "!has(oldSelf.size) || self.size >= oldSelf.size"
                message: size never shrinks
                optionalOldSelf: false
              - rule: "oldSelf.hasValue() || self.size < 10"
                optionalOldSelf: true
                messageExpression: "'a new widget is small, not ' + string(self.size)"
          """);

  @Test
  void transitionRulesAreSkippedOnCreateAndCheckedOnUpdate() {
    ObjectNode old = widget("{size: 5, owner: ann, ports: [{name: a, number: 80}]}");
    assertEquals(List.of(), TRANSITIONS.validate(old, null));
    assertEquals(
        List.of(
            new Cause("FieldValueInvalid", "spec", "Invalid value: \"object\": size never shrinks"),
            new Cause(
                "FieldValueInvalid",
                "spec.owner",
                "Invalid value: \"string\": owner is immutable")),
        TRANSITIONS.validate(widget("{size: 4, owner: bob, ports: [{name: a, number: 80}]}"), old));
  }

  @Test
  void optionalOldSelfRulesRunOnCreateToo() {
    assertEquals(
        List.of(
            new Cause(
                "FieldValueInvalid",
                "spec",
                "Invalid value: \"object\": a new widget is small, not 12")),
        TRANSITIONS.validate(widget("{size: 12}"), null));
    assertEquals(List.of(), TRANSITIONS.validate(widget("{size: 12}"), widget("{size: 11}")));
  }

  @Test
  void itemsOfMapTypeListsCorrelateByKey() {
    ObjectNode old = widget("{ports: [{name: a, number: 80}, {name: b, number: 90}]}");
    ObjectNode reordered =
        widget(
            "{ports: [{name: b, number: 91}, {name: a, number: 79}," + " {name: c, number: 1}]}");
    assertEquals(
        List.of(
            new Cause(
                "FieldValueInvalid",
                "spec.ports[1].number",
                "Invalid value: \"integer\": a port number only grows")),
        TRANSITIONS.validate(reordered, old));
  }

  static final CustomResourceValidator SHAPES =
      crd(
"""
type: object
properties:
  spec:
    type: object
    properties:
      mode: {type: string, default: fast, enum: [fast, slow]}
      limits:
        type: object
        default: {}
        properties:
          cpu: {type: integer, default: 2}
          memory: {type: string, nullable: true}
      labels:
        type: object
        maxProperties: 2
        additionalProperties:
          type: string
          x-kubernetes-validations:
          - {rule: "self != ''", message: empty label, reason: FieldValueForbidden}
      tags:
        type: array
        x-kubernetes-list-type: set
        items: {type: string}
      raw:
        type: object
        x-kubernetes-preserve-unknown-fields: true
      thing:
        type: object
        x-kubernetes-embedded-resource: true
        x-kubernetes-preserve-unknown-fields: true
      count: {type: integer, format: int32, maximum: 100000000}
      ratio: {type: number, maximum: 1.0e+8}
      when: {type: string, format: date-time}
      amount: {x-kubernetes-int-or-string: true, anyOf: [{type: integer}, {type: string}]}
    x-kubernetes-validations:
    - rule: "!has(self.tags) || size(self.tags) < 3"
      message: few tags
      fieldPath: .tags
""");

  @Test
  void defaultsFillAbsentFieldsAndNonNullableNulls() {
    ObjectNode object = widget("{mode: null, limits: {memory: null}}");
    SHAPES.applyDefaults(object);
    assertEquals(yaml("{mode: fast, limits: {cpu: 2, memory: null}}"), object.get("spec"));
    ObjectNode empty = widget("{}");
    SHAPES.applyDefaults(empty);
    assertEquals(yaml("{mode: fast, limits: {cpu: 2}}"), empty.get("spec"));
    ObjectNode noDefault = widget("{labels: null, tags: [a]}");
    SHAPES.applyDefaults(noDefault);
    assertTrue(!noDefault.get("spec").has("labels"), "a null without a default is dropped");
  }

  @Test
  void preservedAndEmbeddedContentIsNotPruned() {
    ObjectNode object =
        widget(
            "{raw: {any: [1, {deep: x}]}, thing: {apiVersion: v1, kind: Pod,"
                + " metadata: {name: p}, spec: {x: 1}}, unknown: 1}");
    assertEquals(List.of("spec.unknown"), SHAPES.prune(object));
    assertEquals("x", object.at("/spec/raw/any/1/deep").asText());
    assertEquals("p", object.at("/spec/thing/metadata/name").asText());
  }

  @Test
  void mapsSetsAndReasonsAreReportedAsOnAServer() {
    assertEquals(
        List.of(
            new Cause("FieldValueDuplicate", "spec.tags[2]", "Duplicate value: \"a\""),
            new Cause("FieldValueInvalid", "spec.tags", "Invalid value: \"object\": few tags"),
            new Cause("FieldValueForbidden", "spec.labels[team]", "Forbidden: empty label")),
        SHAPES.validate(widget("{tags: [a, b, a], labels: {team: \"\"}}"), null));
    assertEquals(
        List.of(
            new Cause("FieldValueTooMany", "spec.labels", "Too many: 3: must have at most 2 items"),
            new Cause(
                "FieldValueInvalid",
                "<nil>",
                "Invalid value: \"null\": some validation rules were not checked because the object"
                    + " was invalid; correct the existing errors to complete validation")),
        SHAPES.validate(widget("{labels: {a: x, b: y, c: z}}"), null));
  }

  @Test
  void numbersAndFormatsArePrintedTheGoWay() {
    assertEquals(
        List.of(
            new Cause(
                "FieldValueInvalid",
                "spec.count",
                "Invalid value: 100000001: spec.count in body should be less than or equal to"
                    + " 100000000"),
            new Cause(
                "FieldValueInvalid",
                "spec.ratio",
                "Invalid value: 1.5e+08: spec.ratio in body should be less than or equal to 1e+08"),
            new Cause(
                "FieldValueTypeInvalid",
                "spec.when",
                "Invalid value: \"yesterday\": spec.when in body must be of type date-time:"
                    + " \"yesterday\"")),
        SHAPES
            .validate(
                widget("{count: 100000001, ratio: 1.5e+8, when: yesterday," + " amount: 5}"), null)
            .subList(0, 3));
    assertEquals(
        List.of(), SHAPES.validate(widget("{amount: 5%, when: \"2026-01-01T00:00:00Z\"}"), null));
    assertEquals(
        List.of(
            new Cause(
                "FieldValueTypeInvalid",
                "spec.amount",
                "Invalid value: \"boolean\": spec.amount in body must be of type integer,string:"
                    + " \"boolean\"")),
        SHAPES.validate(widget("{amount: true}"), null).subList(0, 1));
  }

  @Test
  void aRuleThatDoesNotCompileIsReported() {
    CustomResourceValidator broken =
        crd(
            """
            type: object
            properties:
              spec:
                type: object
                properties: {size: {type: integer}}
                x-kubernetes-validations:
                - {rule: "self.colour == 'red'"}
            """);
    CelRule rule = broken.rules().get(0);
    assertTrue(rule.compileError.contains("undefined field 'colour'"), rule.compileError);
    Cause cause = broken.validate(widget("{size: 1}"), null).get(0);
    assertEquals("spec", cause.field());
    assertTrue(cause.message().startsWith("Invalid value: \"object\": rule compile error:"));
  }

  @Test
  void evaluationErrorsNameTheRule() {
    CustomResourceValidator needsSize =
        crd(
            """
            type: object
            properties:
              spec:
                type: object
                properties: {size: {type: integer}}
                x-kubernetes-validations:
                - {rule: "self.size > 0"}
            """);
    assertEquals(
        List.of(
            new Cause(
                "FieldValueInvalid",
                "spec",
                "Invalid value: \"object\": no such key: size evaluating rule: self.size > 0")),
        needsSize.validate(widget("{}"), null));
    assertEquals(
        List.of(
            new Cause(
                "FieldValueInvalid",
                "spec",
                "Invalid value: \"object\": failed rule: self.size > 0")),
        needsSize.validate(widget("{size: 0}"), null));
  }

  @Test
  void theRootRuleSeesTheResourceFields() {
    CustomResourceValidator named =
        crd(
"""
type: object
x-kubernetes-validations:
- {rule: "self.metadata.name.startsWith('w') && self.kind == 'Widget'", message: naming}
properties:
  spec: {type: object}
""");
    assertEquals(List.of(), named.validate(widget("{}"), null));
    ObjectNode other = widget("{}");
    ((ObjectNode) other.get("metadata")).put("name", "x");
    assertEquals(
        List.of(new Cause("FieldValueInvalid", "<nil>", "Invalid value: \"object\": naming")),
        named.validate(other, null));
  }
}
