package dev.nodecache.local.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.EventBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What kubectl get prints (server-side Tables) and what kubectl explain reads (OpenAPI v3). */
class TablesAndOpenApiTest {
  static TestApi api;

  @BeforeAll
  static void start() throws Exception {
    api = new TestApi();
    api.client
        .v1()
        .events()
        .inNamespace("default")
        .resource(
            new EventBuilder()
                .withNewMetadata()
                .withName("e1")
                .endMetadata()
                .withNewInvolvedObject()
                .withKind("DnsCachePolicy")
                .withName("default")
                .endInvolvedObject()
                .withType("Normal")
                .withReason("FlushCompleted")
                .withMessage("done")
                .withCount(1)
                .build())
        .create();
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  static List<String> columns(String path) throws Exception {
    JsonNode table = api.getTable(path).body();
    assertEquals("Table", table.path("kind").asText(), table.toString());
    List<String> names = new ArrayList<>();
    for (JsonNode c : table.path("columnDefinitions")) {
      if (c.path("priority").asInt() == 0) {
        names.add(c.path("name").asText());
      }
    }
    return names;
  }

  @Test
  void everyKindIsPrintedAsOnACluster() throws Exception {
    Map<String, List<String>> expected =
        Map.of(
            "/api/v1/namespaces/default/events",
            List.of("Last Seen", "Type", "Reason", "Object", "Message"),
            "/apis/apps/v1/namespaces/default/daemonsets",
            List.of(
                "Name",
                "Desired",
                "Current",
                "Ready",
                "Up-to-date",
                "Available",
                "Node Selector",
                "Age"),
            "/api/v1/nodes",
            List.of("Name", "Status", "Roles", "Age", "Version"),
            "/api/v1/namespaces/default/secrets",
            List.of("Name", "Type", "Data", "Age"),
            "/api/v1/namespaces/default/configmaps",
            List.of("Name", "Data", "Age"),
            "/api/v1/namespaces/default/services",
            List.of("Name", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age"),
            "/api/v1/namespaces/default/pods",
            List.of("Name", "Ready", "Status", "Restarts", "Age"),
            "/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
            List.of("Name", "Created At"));
    for (var e : expected.entrySet()) {
      assertEquals(e.getValue(), columns(e.getKey()), e.getKey());
    }
    JsonNode events = api.getTable("/api/v1/namespaces/default/events").body();
    assertEquals("dnscachepolicy/default", events.at("/rows/0/cells/3").asText());
    assertFalse(events.at("/metadata/resourceVersion").asText().isEmpty(), "for get -w");
  }

  @Test
  void aCustomResourcePrintsItsPrinterColumnsWideOnesMarkedSo() throws Exception {
    JsonNode crd =
        api.get(
                "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/"
                    + "dnscachepolicies.nodecache.dev")
            .body();
    List<String> printer = new ArrayList<>(List.of("Name"));
    for (JsonNode c : crd.at("/spec/versions/0/additionalPrinterColumns")) {
      if (c.path("priority").asInt() == 0) {
        printer.add(c.path("name").asText());
      }
    }
    assertEquals(printer, columns(TestApi.DCP));
  }

  @Test
  void explainFindsTheCustomResourceSchemaByItsGroupVersionKind() throws Exception {
    JsonNode root = api.get("/openapi/v3").body();
    assertTrue(root.at("/paths").has("apis/nodecache.dev/v1alpha1"), root.toString());
    JsonNode doc = api.get("/openapi/v3/apis/nodecache.dev/v1alpha1").body();
    JsonNode schema = doc.at("/components/schemas/dev.nodecache.v1alpha1.DnsCachePolicy");
    assertEquals("DnsCachePolicy", schema.at("/x-kubernetes-group-version-kind/0/kind").asText());
    assertTrue(schema.at("/properties/spec/properties").has("listen"));
    JsonNode patch =
        doc.at("/paths/~1apis~1nodecache.dev~1v1alpha1~1dnscachepolicies~1{name}" + "/patch");
    assertEquals("DnsCachePolicy", patch.at("/x-kubernetes-group-version-kind/kind").asText());
    assertTrue(patch.at("/requestBody/content").has("application/merge-patch+json"));
    assertFalse(
        patch.at("/requestBody/content").has("application/strategic-merge-patch+json"),
        "kubectl apply computes a merge patch for a custom resource");
    assertEquals(
        "#/components/schemas/dev.nodecache.v1alpha1.DnsCachePolicy",
        doc.at(
                "/paths/~1apis~1nodecache.dev~1v1alpha1~1dnscachepolicies~1{name}/get/responses"
                    + "/200/content/application~1json/schema/$ref")
            .asText());
  }

  @Test
  void discoveryListsWhatIsServedAndNothingElseIsFound() throws Exception {
    JsonNode core = api.get("/api/v1").body();
    assertTrue(core.toString().contains("\"pods/log\""));
    assertEquals(404, api.get("/api/v1/namespaces/default/widgets").code());
    assertEquals(404, api.get("/apis/nodecache.dev/v1alpha1/dnscachepolicies/x/scale").code());
  }
}
