package dev.nodecache.local.admission;

import static dev.nodecache.local.admission.CommittedCrd.yaml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Admission of DnsCachePolicies against the committed CRD, worded as a real API server. */
class DnsCachePolicyAdmissionTest {
  static final CustomResourceValidator CRD = CommittedCrd.validator();
  static final String SKIPPED_RULES =
      "<nil>: Invalid value: \"null\": some validation rules were not checked because the object"
          + " was invalid; correct the existing errors to complete validation";

  static ObjectNode policy(String spec) {
    return yaml(
        "apiVersion: nodecache.dev/v1alpha1\nkind: DnsCachePolicy\n"
            + "metadata: {name: default}\nspec:\n"
            + spec.indent(2));
  }

  static final String LISTEN = "listen: {addresses: [169.254.20.10], port: 53}\n";
  static final String UPSTREAMS = "upstreams: [{zones: [\".\"]}]\n";

  /** Prune, default, validate: what the embedded API does on create. */
  static List<Cause> admit(ObjectNode object) {
    CRD.prune(object);
    CRD.applyDefaults(object);
    return CRD.validate(object, null);
  }

  static String message(List<Cause> causes) {
    return InvalidObject.status("DnsCachePolicy", "nodecache.dev", "default", causes)
        .get("message")
        .asText();
  }

  static List<Path> examples() {
    return CommittedCrd.examples();
  }

  @ParameterizedTest
  @MethodSource("examples")
  void everyExampleIsAdmittedUnchanged(Path example) {
    ObjectNode object = CommittedCrd.read(example);
    ObjectNode before = object.deepCopy();
    assertEquals(List.of(), CRD.prune(object), example + ": nothing unknown");
    CRD.applyDefaults(object);
    assertEquals(before, object, example + ": the CRD has no defaults to add");
    assertEquals(List.of(), CRD.validate(object, null), example.toString());
  }

  @Test
  void aDurationThatIsNotOneIsRefusedWithThePattern() {
    List<Cause> causes = admit(policy(LISTEN + UPSTREAMS + "cache: {maxTtl: forever}"));
    assertEquals(
        List.of(
            new Cause(
                "FieldValueInvalid",
                "spec.cache.maxTtl",
                "Invalid value: \"forever\": spec.cache.maxTtl in body should match"
                    + " '^([0-9]+(ms|s|m|h))+$'")),
        causes);
    assertEquals(
        "DnsCachePolicy.nodecache.dev \"default\" is invalid: spec.cache.maxTtl: Invalid"
            + " value: \"forever\": spec.cache.maxTtl in body should match '^([0-9]+(ms|s|m|h))+$'",
        message(causes));
  }

  @Test
  void aPortAboveTheMaximumIsRefusedWithTheBound() {
    List<Cause> causes =
        admit(policy("listen: {addresses: [169.254.20.10], port: 70000}\n" + UPSTREAMS));
    assertEquals(
        List.of(
            new Cause(
                "FieldValueInvalid",
                "spec.listen.port",
                "Invalid value: 70000: spec.listen.port in body should be less than or equal to"
                    + " 65535")),
        causes);
  }

  @Test
  void aPortBelowTheMinimumIsRefusedWithTheBound() {
    assertEquals(
        List.of(
            new Cause(
                "FieldValueInvalid",
                "spec.listen.port",
                "Invalid value: 0: spec.listen.port in body should be greater than or equal to 1")),
        admit(policy("listen: {addresses: [169.254.20.10], port: 0}\n" + UPSTREAMS)));
  }

  @Test
  void twoMigrationsWithOneNameAreDuplicates() {
    String migration =
        "{name: api-cutover, names: [api.example.com]," + " cutoverAt: \"2026-12-01T10:00:00Z\"}";
    List<Cause> causes =
        admit(
            policy(
                LISTEN
                    + UPSTREAMS
                    + "migrations: ["
                    + migration
                    + ", "
                    + migration.replace("api.", "www.")
                    + "]"));
    assertEquals(
        List.of(
            new Cause(
                "FieldValueDuplicate",
                "spec.migrations[1]",
                "Duplicate value: map[string]interface {}{\"name\":\"api-cutover\"}")),
        causes);
  }

  @Test
  void anUnknownFieldIsPrunedAndReported() {
    ObjectNode object = policy(LISTEN + UPSTREAMS + "cache: {maxTTL: 1h, maxTtl: 30s}");
    assertEquals(List.of("spec.cache.maxTTL"), CRD.prune(object));
    assertEquals("{\"maxTtl\":\"30s\"}", object.at("/spec/cache").toString());
    assertEquals(List.of(), CRD.validate(object, null));
  }

  @Test
  void unknownFieldsArePrunedEverywhereButTheResourceFields() {
    ObjectNode object = policy(LISTEN + "upstreams: [{zones: [\".\"], weight: 3}]\nfoo: bar");
    object.put("extra", 1);
    ((ObjectNode) object.get("metadata")).put("whatever", "kept");
    assertEquals(List.of("spec.upstreams[0].weight", "spec.foo", "extra"), CRD.prune(object));
    assertEquals("kept", object.at("/metadata/whatever").asText());
    assertEquals("nodecache.dev/v1alpha1", object.get("apiVersion").asText());
  }

  @Test
  void aWrongTypeIsRefusedAndTheRulesAreNotRun() {
    List<Cause> causes =
        admit(
            policy(
                "listen: {addresses: [169.254.20.10], port: \"53\"}\n"
                    + UPSTREAMS
                    + "cache: {minTtl: 1h, maxTtl: 1m}"));
    assertEquals(
        List.of(
            new Cause(
                "FieldValueTypeInvalid",
                "spec.listen.port",
                "Invalid value: \"string\": spec.listen.port in body must be of type integer:"
                    + " \"string\""),
            new Cause(
                "FieldValueInvalid",
                "<nil>",
                "Invalid value: \"null\": some validation rules were not checked because the object"
                    + " was invalid; correct the existing errors to complete validation")),
        causes);
    assertEquals(
        "DnsCachePolicy.nodecache.dev \"default\" is invalid: [spec.listen.port: Invalid"
            + " value: \"string\": spec.listen.port in body must be of type integer: \"string\", "
            + SKIPPED_RULES
            + "]",
        message(causes));
  }

  @Test
  void aMissingRequiredFieldIsRequired() {
    List<Cause> causes = admit(policy(UPSTREAMS));
    assertEquals(new Cause("FieldValueRequired", "spec.listen", "Required value"), causes.get(0));
    assertEquals(2, causes.size());
    assertEquals(
        new Cause("FieldValueRequired", "spec.listen.addresses", "Required value"),
        admit(policy("listen: {port: 53}\n" + UPSTREAMS)).get(0));
  }

  @Test
  void aValueOutsideAnEnumIsUnsupported() {
    assertEquals(
        new Cause(
            "FieldValueNotSupported",
            "spec.upstreams[0].transport",
            "Unsupported value: \"quic\": supported values: \"prefer-udp\", \"tcp\", \"udp\""),
        admit(policy(LISTEN + "upstreams: [{zones: [\".\"], transport: quic}]")).get(0));
  }

  @Test
  void listsAndStringsHaveTheirBounds() {
    String nine =
        "[1.1.1.1, 1.1.1.2, 1.1.1.3, 1.1.1.4, 1.1.1.5, 1.1.1.6, 1.1.1.7, 1.1.1.8," + " 1.1.1.9]";
    assertEquals(
        new Cause(
            "FieldValueTooMany", "spec.listen.addresses", "Too many: 9: must have at most 8 items"),
        admit(policy("listen: {addresses: " + nine + "}\n" + UPSTREAMS)).get(0));
    assertEquals(
        new Cause(
            "FieldValueTooLong", "spec.listen.addresses[0]", "Too long: may not be longer than 45"),
        admit(policy("listen: {addresses: [" + "a".repeat(46) + "]}\n" + UPSTREAMS)).get(0));
    assertEquals(
        new Cause(
            "FieldValueInvalid",
            "spec.listen.addresses",
            "Invalid value: 0: spec.listen.addresses in body should have at least 1 items"),
        admit(policy("listen: {addresses: []}\n" + UPSTREAMS)).get(0));
  }

  @Test
  void celRulesAreReportedOnTheirNode() {
    assertEquals(
        List.of(
            new Cause(
                "FieldValueInvalid",
                "spec.cache",
                "Invalid value: \"object\": minTtl must not be more than maxTtl")),
        admit(policy(LISTEN + UPSTREAMS + "cache: {minTtl: 2h, maxTtl: 1h}")));
    assertEquals(
        List.of(
            new Cause(
                "FieldValueInvalid",
                "spec.cache.zones[1]",
                "Invalid value: \"object\": minTtl must not be more than maxTtl")),
        admit(
            policy(
                LISTEN
                    + UPSTREAMS
                    + "cache: {zones: [{zones: [a]},"
                    + " {zones: [b], minTtl: 90s, maxTtl: 1m}]}")));
    assertEquals(
        List.of(
            new Cause(
                "FieldValueInvalid",
                "spec.upstreams[0]",
                "Invalid value: \"object\": use serviceRef or servers, not both")),
        admit(
            policy(
                LISTEN
                    + "upstreams: [{zones: [\".\"], servers: [10.0.0.1],"
                    + " serviceRef: {name: kube-dns, namespace: kube-system}}]")));
    assertEquals(
        List.of(
            new Cause(
                "FieldValueInvalid",
                "spec.listen.addresses",
                "Invalid value: \"array\": each address must be an IPv4 or IPv6 address")),
        admit(policy("listen: {addresses: [localhost]}\n" + UPSTREAMS)));
    assertEquals(
        List.of(
            new Cause(
                "FieldValueInvalid",
                "spec.cache.servfailTtl",
                "Invalid value: \"string\": servfailTtl is at most 5m")),
        admit(policy(LISTEN + UPSTREAMS + "cache: {servfailTtl: 10m}")));
  }

  @Test
  void severalCausesAreJoinedInBrackets() {
    List<Cause> causes =
        admit(
            policy(
                "listen: {addresses: [localhost], port: 70000}\n"
                    + UPSTREAMS
                    + "cache: {maxTtl: forever}"));
    assertEquals(
        "DnsCachePolicy.nodecache.dev \"default\" is invalid: [spec.cache.maxTtl: Invalid value:"
            + " \"forever\": spec.cache.maxTtl in body should match '^([0-9]+(ms|s|m|h))+$',"
            + " spec.listen.port: Invalid value: 70000: spec.listen.port in body should be less"
            + " than or equal to 65535, spec.listen.addresses: Invalid value: \"array\": each"
            + " address must be an IPv4 or IPv6 address]",
        message(causes));
  }

  @Test
  void theStatusHasTheApiServersShape() {
    List<Cause> causes = admit(policy(LISTEN + UPSTREAMS + "cache: {maxTtl: forever}"));
    assertEquals(
        yaml(
            """
            kind: Status
            apiVersion: v1
            metadata: {}
            status: Failure
            message: >-
              DnsCachePolicy.nodecache.dev "default" is invalid: spec.cache.maxTtl: Invalid value:
              "forever": spec.cache.maxTtl in body should match '^([0-9]+(ms|s|m|h))+$'
            reason: Invalid
            details:
              name: default
              group: nodecache.dev
              kind: DnsCachePolicy
              causes:
              - reason: FieldValueInvalid
                message: >-
                  Invalid value: "forever": spec.cache.maxTtl in body should match
                  '^([0-9]+(ms|s|m|h))+$'
                field: spec.cache.maxTtl
            code: 422
            """),
        InvalidObject.status("DnsCachePolicy", "nodecache.dev", "default", causes));
  }

  @Test
  void anUpdateIsValidatedAgainstTheNewObject() {
    ObjectNode old = policy(LISTEN + UPSTREAMS);
    ObjectNode updated = policy(LISTEN + UPSTREAMS + "cache: {minTtl: 2h, maxTtl: 1h}");
    assertEquals(1, CRD.validate(updated, old).size());
    assertTrue(CRD.validate(old, updated).isEmpty());
  }
}
