package dev.nodecache.local.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every PATCH type applied by the front as the API server applies it, then admitted. */
class PatchRequestsTest {
  static final String MERGE = "application/merge-patch+json";
  static TestApi api;

  @BeforeAll
  static void start() throws Exception {
    api = new TestApi();
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  static String create(String name) throws Exception {
    ObjectNode p = CustomResourceWritesTest.example("default-policy.yaml");
    ((ObjectNode) p.get("metadata")).put("name", name);
    TestApi.Response r = api.send("POST", TestApi.DCP, "application/json", p.toString());
    assertEquals(201, r.code(), r.body().toString());
    return TestApi.DCP + "/" + name;
  }

  @Test
  void aMergePatchReplacesListsAndDeletesNullMembers() throws Exception {
    String path = create("merge");
    TestApi.Response r =
        api.send(
            "PATCH",
            path,
            MERGE,
            "{\"metadata\":{\"annotations\":{\"x\":\"1\"}},\"spec\":{\"upstreams\":[{\"zones\":[\".\"],"
                + "\"servers\":[]}],\"cache\":{\"minTtl\":null,\"maxTtl\":\"2h\"}}}");
    assertEquals(200, r.code(), r.body().toString());
    assertEquals(1, r.body().at("/spec/upstreams").size());
    assertFalse(r.body().at("/spec/cache").has("minTtl"));
    r = api.send("PATCH", path, MERGE, "{\"metadata\":{\"annotations\":{\"x\":null}}}");
    assertFalse(r.body().at("/metadata/annotations").has("x"), "a removed annotation is gone");
    assertTrue(r.body().toString().indexOf("null") < 0, r.body().toString());
  }

  @Test
  void aJsonPatchAppliesOrFailsWhole() throws Exception {
    String path = create("json");
    TestApi.Response r =
        api.send(
            "PATCH",
            path,
            "application/json-patch+json",
            "[{\"op\":\"add\",\"path\":\"/metadata/annotations\",\"value\":{}},"
                + "{\"op\":\"add\",\"path\":\"/metadata/annotations/nodecache.dev~1flush\","
                + "\"value\":\"j1\"},{\"op\":\"replace\",\"path\":\"/spec/listen/port\",\"value\":5353}]");
    assertEquals(200, r.code(), r.body().toString());
    assertEquals("j1", r.body().at("/metadata/annotations/nodecache.dev~1flush").asText());
    TestApi.Response failed =
        api.send(
            "PATCH",
            path,
            "application/json-patch+json",
            "[{\"op\":\"replace\",\"path\":\"/spec/listen/port\",\"value\":1},"
                + "{\"op\":\"test\",\"path\":\"/spec/listen/port\",\"value\":2}]");
    assertEquals(422, failed.code());
    assertEquals(5353, api.get(path).body().at("/spec/listen/port").asInt(), "nothing applied");
    TestApi.Response invalid =
        api.send(
            "PATCH",
            path,
            "application/json-patch+json",
            "[{\"op\":\"replace\",\"path\":\"/spec/listen/port\",\"value\":70000}]");
    assertEquals(422, invalid.code());
    assertTrue(invalid.body().path("message").asText().contains("spec.listen.port"));
  }

  @Test
  void aStrategicMergePatchOfACustomResourceIsUnsupportedAsOnACluster() throws Exception {
    String path = create("smp");
    TestApi.Response r =
        api.send(
            "PATCH",
            path,
            "application/strategic-merge-patch+json",
            "{\"spec\":{\"listen\":{\"port\":5353}}}");
    assertEquals(415, r.code());
    assertEquals("UnsupportedMediaType", r.body().path("reason").asText());
  }

  @Test
  void aPatchWithAStaleResourceVersionIsAConflict() throws Exception {
    String path = create("stale");
    TestApi.Response r =
        api.send(
            "PATCH",
            path,
            MERGE,
            "{\"metadata\":{\"resourceVersion\":\"1\"},\"spec\":{\"listen\":{\"port\":5353}}}");
    assertEquals(409, r.code());
  }

  @Test
  void serverSideApplyCreatesThenMergesAndForgetsWhatIsNoLongerApplied() throws Exception {
    String path = TestApi.DCP + "/applied?fieldManager=me";
    String first =
        "apiVersion: nodecache.dev/v1alpha1\nkind: DnsCachePolicy\nmetadata:\n"
            + "  name: applied\nspec:\n  listen: {addresses: [169.254.20.10], port: 53}\n"
            + "  upstreams: [{zones: [.], servers: []}]\n  cache: {maxTtl: 1h, minTtl: 5s}\n";
    TestApi.Response created = api.send("PATCH", path, "application/apply-patch+yaml", first);
    assertEquals(201, created.code(), created.body().toString());
    TestApi.Response again =
        api.send("PATCH", path, "application/apply-patch+yaml", first.replace(", minTtl: 5s", ""));
    assertEquals(200, again.code(), again.body().toString());
    assertFalse(again.body().at("/spec/cache").has("minTtl"), again.body().toString());
    assertEquals(
        422,
        api.send("PATCH", TestApi.DCP + "/applied", "application/apply-patch+yaml", first).code(),
        "fieldManager required");
  }

  @Test
  void aStrategicMergePatchOfABuiltInKindMergesContainersByName() throws Exception {
    api.client
        .apps()
        .daemonSets()
        .inNamespace("default")
        .resource(
            new DaemonSetBuilder()
                .withNewMetadata()
                .withName("ds")
                .endMetadata()
                .withNewSpec()
                .withNewSelector()
                .addToMatchLabels("a", "b")
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("a", "b")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("agent")
                .withImage("v1")
                .addNewEnv()
                .withName("A")
                .withValue("1")
                .endEnv()
                .endContainer()
                .addNewContainer()
                .withName("other")
                .withImage("o")
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build())
        .create();
    TestApi.Response r =
        api.send(
            "PATCH",
            "/apis/apps/v1/namespaces/default/daemonsets/ds",
            "application/strategic-merge-patch+json",
            "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"agent\",\"image\":\"v2\"}]}}}}");
    assertEquals(200, r.code(), r.body().toString());
    JsonNode containers = r.body().at("/spec/template/spec/containers");
    assertEquals(2, containers.size());
    assertEquals("v2", containers.at("/0/image").asText());
    assertEquals("A", containers.at("/0/env/0/name").asText());
    assertEquals(2, r.body().at("/metadata/generation").asInt());
  }

  @Test
  void aSecretsStringDataIsStoredAsData() throws Exception {
    TestApi.Response r =
        api.send(
            "POST",
            "/api/v1/namespaces/default/secrets",
            "application/json",
            "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"s\"},"
                + "\"stringData\":{\"token\":\"t0ken\"}}");
    assertEquals(201, r.code(), r.body().toString());
    JsonNode stored = api.get("/api/v1/namespaces/default/secrets/s").body();
    assertFalse(stored.has("stringData"));
    assertEquals(
        "t0ken",
        new String(
            Base64.getDecoder().decode(stored.at("/data/token").asText()), StandardCharsets.UTF_8));
    api.send(
        "PATCH",
        "/api/v1/namespaces/default/secrets/s",
        MERGE,
        "{\"stringData\":{\"other\":\"o\"}}");
    stored = api.get("/api/v1/namespaces/default/secrets/s").body();
    assertEquals(2, stored.path("data").size());
    assertFalse(stored.has("stringData"));
  }
}
