package dev.nodecache.local.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.nodecache.operator.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The write path of a custom resource through the front, as the API server takes it: unknown fields
 * by fieldValidation, schema and CEL validation (422), optimistic concurrency (409), the status
 * subresource kept apart, generation moved by spec changes only.
 */
class CustomResourceWritesTest {
  static TestApi api;

  @BeforeAll
  static void start() throws Exception {
    api = new TestApi();
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  @AfterEach
  void deletePolicies() throws Exception {
    api.send("DELETE", TestApi.DCP + "/default", null, null);
  }

  static ObjectNode example(String file) throws Exception {
    return (ObjectNode)
        new YAMLMapper().readTree(Fixtures.ROOT.resolve("examples/" + file).toFile());
  }

  static TestApi.Response create(ObjectNode policy, String query) throws Exception {
    return api.send("POST", TestApi.DCP + query, "application/json", policy.toString());
  }

  @Test
  void unknownFieldsAreRefusedWhenStrictWarnedByDefaultAndDroppedWhenIgnored() throws Exception {
    ObjectNode p = example("default-policy.yaml");
    ((ObjectNode) p.at("/spec/cache")).put("maxTTL", "2h");
    TestApi.Response strict = create(p, "?fieldValidation=Strict");
    assertEquals(400, strict.code());
    assertEquals(
        "DnsCachePolicy in version \"v1alpha1\" cannot be handled as a DnsCachePolicy:"
            + " strict decoding error: unknown field \"spec.cache.maxTTL\"",
        strict.body().path("message").asText());
    assertEquals("BadRequest", strict.body().path("reason").asText());

    TestApi.Response warned = create(p, "");
    assertEquals(201, warned.code(), warned.body().toString());
    assertEquals(
        "299 - \"unknown field \\\"spec.cache.maxTTL\\\"\"",
        warned.raw().headers().firstValue("Warning").orElse(""));
    assertFalse(warned.body().at("/spec/cache").has("maxTTL"), "pruned");
    api.send("DELETE", TestApi.DCP + "/default", null, null);

    TestApi.Response ignored = create(p, "?fieldValidation=Ignore");
    assertEquals(201, ignored.code());
    assertTrue(ignored.raw().headers().firstValue("Warning").isEmpty());
    assertFalse(api.get(TestApi.DCP + "/default").body().at("/spec/cache").has("maxTTL"));
  }

  @Test
  void anInvalidValueIsA422NamingTheField() throws Exception {
    ObjectNode p = example("default-policy.yaml");
    ((ObjectNode) p.at("/spec/cache")).put("maxTtl", "forever");
    TestApi.Response r = create(p, "?fieldValidation=Strict");
    assertEquals(422, r.code());
    assertEquals("Invalid", r.body().path("reason").asText());
    String message = r.body().path("message").asText();
    assertTrue(
        message.startsWith(
            "DnsCachePolicy.nodecache.dev \"default\" is invalid:"
                + " spec.cache.maxTtl: Invalid value: \"forever\""),
        message);
    assertEquals("spec.cache.maxTtl", r.body().at("/details/causes/0/field").asText());
    assertEquals(404, api.get(TestApi.DCP + "/default").code(), "nothing stored");
  }

  @Test
  void aStaleResourceVersionIsAConflictAndAnUpdateWithoutOneIsRefused() throws Exception {
    ObjectNode created = (ObjectNode) create(example("default-policy.yaml"), "").body();
    ObjectNode stale = created.deepCopy();
    ((ObjectNode) created.at("/spec/listen")).put("port", 5353);
    TestApi.Response first =
        api.send("PUT", TestApi.DCP + "/default", "application/json", created.toString());
    assertEquals(200, first.code(), first.body().toString());
    ((ObjectNode) stale.at("/spec/listen")).put("port", 5454);
    TestApi.Response second =
        api.send("PUT", TestApi.DCP + "/default", "application/json", stale.toString());
    assertEquals(409, second.code());
    assertEquals("Conflict", second.body().path("reason").asText());
    ((ObjectNode) stale.get("metadata")).remove("resourceVersion");
    assertEquals(
        422,
        api.send("PUT", TestApi.DCP + "/default", "application/json", stale.toString()).code());
    assertEquals(5353, api.get(TestApi.DCP + "/default").body().at("/spec/listen/port").asInt());
  }

  @Test
  void theStatusIsKeptApartFromTheRestAndOnlySpecChangesMoveTheGeneration() throws Exception {
    ObjectNode p = example("default-policy.yaml");
    p.putObject("status").put("state", "Forged");
    JsonNode created = create(p, "").body();
    assertFalse(created.has("status"), "status ignored on create");
    assertEquals(1, created.at("/metadata/generation").asInt());

    // /status (with the query string kubectl and fabric8 send): status only, same generation
    ObjectNode withStatus = ((ObjectNode) created).deepCopy();
    withStatus.putObject("status").put("state", "Ready");
    ((ObjectNode) withStatus.at("/spec/listen")).put("port", 1111);
    TestApi.Response status =
        api.send(
            "PUT",
            TestApi.DCP + "/default/status?fieldManager=x",
            "application/json",
            withStatus.toString());
    assertEquals(200, status.code(), status.body().toString());
    assertEquals("Ready", status.body().at("/status/state").asText());
    assertEquals(53, status.body().at("/spec/listen/port").asInt(), "spec untouched by /status");
    assertEquals(1, status.body().at("/metadata/generation").asInt());
    assertTrue(
        Long.parseLong(status.body().at("/metadata/resourceVersion").asText())
            > Long.parseLong(created.at("/metadata/resourceVersion").asText()));

    // the main resource: spec and generation move, status stays
    TestApi.Response main =
        api.send(
            "PATCH",
            TestApi.DCP + "/default",
            "application/merge-patch+json",
            "{\"spec\":{\"listen\":{\"port\":5353}},\"status\":{\"state\":\"Forged\"}}");
    assertEquals(200, main.code(), main.body().toString());
    assertEquals("Ready", main.body().at("/status/state").asText());
    assertEquals(2, main.body().at("/metadata/generation").asInt());

    // metadata only: generation stays
    TestApi.Response labels =
        api.send(
            "PATCH",
            TestApi.DCP + "/default",
            "application/merge-patch+json",
            "{\"metadata\":{\"labels\":{\"a\":\"b\"}}}");
    assertEquals(2, labels.body().at("/metadata/generation").asInt());

    // a status patch changes nothing else
    TestApi.Response statusPatch =
        api.send(
            "PATCH",
            TestApi.DCP + "/default/status",
            "application/merge-patch+json",
            "{\"metadata\":{\"labels\":{\"a\":\"c\"}},\"status\":{\"state\":\"Degraded\"}}");
    assertEquals("Degraded", statusPatch.body().at("/status/state").asText());
    assertEquals("b", statusPatch.body().at("/metadata/labels/a").asText());
    assertEquals(2, statusPatch.body().at("/metadata/generation").asInt());
  }

  @Test
  void theOperatorsClientMeetsTheSameRules() throws Exception {
    var policy = Fixtures.examplePolicy("default-policy.yaml");
    policy.getSpec().cache.maxTtl = "forever";
    var e =
        org.junit.jupiter.api.Assertions.assertThrows(
            io.fabric8.kubernetes.client.KubernetesClientException.class,
            () -> api.client.resource(policy).create());
    assertEquals(422, e.getCode());
  }
}
