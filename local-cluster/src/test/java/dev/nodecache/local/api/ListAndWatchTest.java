package dev.nodecache.local.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Lists and watches as the API server serves them: the list's resourceVersion, watches from a
 * resourceVersion (replayed from the watch cache, or 410 Gone when too old), selectors, and a
 * fabric8 informer (list, HTTP watch, re-list after 410) working through the front.
 */
class ListAndWatchTest {
  static final String CMS = "/api/v1/namespaces/default/configmaps";
  static TestApi api;

  @BeforeAll
  static void start() throws Exception {
    api = new TestApi(8, null);
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  static void configMap(String name, Map<String, String> labels, String value) {
    api.client
        .configMaps()
        .inNamespace("default")
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(labels)
                .endMetadata()
                .addToData("v", value)
                .build())
        .createOr(o -> o.update());
  }

  static void eventually(String what, BooleanSupplier ok) throws InterruptedException {
    for (int i = 0; i < 100 && !ok.getAsBoolean(); i++) {
      Thread.sleep(100);
    }
    assertTrue(ok.getAsBoolean(), what);
  }

  @Test
  void aWatchFromTheListsResourceVersionGetsWhatCameAfterAndNothingBefore() throws Exception {
    configMap("before", Map.of("t", "list"), "1");
    JsonNode list = api.get(CMS + "?labelSelector=t%3Dlist").body();
    String rv = list.at("/metadata/resourceVersion").asText();
    assertEquals("ConfigMapList", list.path("kind").asText());
    assertEquals(1, list.path("items").size());
    configMap("after", Map.of("t", "list"), "2");
    List<JsonNode> events =
        api.watch(
            CMS + "?watch=true&labelSelector=t%3Dlist&timeoutSeconds=1&resourceVersion=" + rv,
            5,
            10);
    assertEquals(1, events.size(), events.toString());
    assertEquals("ADDED", events.get(0).path("type").asText());
    assertEquals("after", events.get(0).at("/object/metadata/name").asText());
  }

  @Test
  void aWatchWithoutResourceVersionStartsWithTheCurrentStateAsAdded() throws Exception {
    configMap("now-1", Map.of("t", "now"), "1");
    configMap("now-2", Map.of("t", "now"), "1");
    List<JsonNode> events =
        api.watch(CMS + "?watch=true&labelSelector=t%3Dnow&timeoutSeconds=1", 5, 10);
    assertEquals(2, events.size(), events.toString());
    events.forEach(e -> assertEquals("ADDED", e.path("type").asText()));
  }

  @Test
  void aResourceVersionNoLongerHeldIsGoneAndSaysSo() throws Exception {
    configMap("old", Map.of(), "0");
    String rv = api.get(CMS + "/old").body().at("/metadata/resourceVersion").asText();
    for (int i = 0; i < 12; i++) {
      configMap("churn", Map.of(), Integer.toString(i)); // more than the 8 events kept
    }
    Thread.sleep(300);
    List<JsonNode> events = api.watch(CMS + "?watch=true&resourceVersion=" + rv, 2, 10);
    assertEquals(1, events.size(), events.toString());
    assertEquals("ERROR", events.get(0).path("type").asText());
    assertEquals(410, events.get(0).at("/object/code").asInt());
    assertEquals("Expired", events.get(0).at("/object/reason").asText());
    assertTrue(events.get(0).at("/object/message").asText().startsWith("too old resource version"));
  }

  @Test
  void selectorsApplyToListsAndToWatchesBeforeAndAfterEachChange() throws Exception {
    configMap("sel-a", Map.of("app", "x", "tier", "1"), "1");
    configMap("sel-b", Map.of("app", "y"), "1");
    assertEquals(
        1, api.get(CMS + "?labelSelector=app%20in%20(x,z),tier").body().path("items").size());
    assertEquals(
        1,
        api.get(CMS + "?labelSelector=app!%3Dx,!tier&fieldSelector=metadata.name" + "%3Dsel-b")
            .body()
            .path("items")
            .size());
    assertEquals(400, api.get(CMS + "?fieldSelector=data.v%3D1").code());
    String rv = api.get(CMS).body().at("/metadata/resourceVersion").asText();
    configMap("sel-a", Map.of("app", "z"), "2"); // leaves tier
    configMap("sel-b", Map.of("app", "x", "tier", "2"), "2"); // enters
    List<JsonNode> events =
        api.watch(
            CMS + "?watch=true&timeoutSeconds=1&labelSelector=tier" + "&resourceVersion=" + rv,
            4,
            10);
    assertEquals(2, events.size(), events.toString());
    assertEquals("DELETED", events.get(0).path("type").asText());
    assertEquals("sel-a", events.get(0).at("/object/metadata/name").asText());
    assertEquals("ADDED", events.get(1).path("type").asText());
  }

  @Test
  void aDeletionHasAResourceVersionOfItsOwn() throws Exception {
    configMap("doomed", Map.of("t", "del"), "1");
    String rv = api.get(CMS + "/doomed").body().at("/metadata/resourceVersion").asText();
    api.send("DELETE", CMS + "/doomed", null, null);
    List<JsonNode> events =
        api.watch(
            CMS + "?watch=true&timeoutSeconds=1&labelSelector=t%3Ddel" + "&resourceVersion=" + rv,
            2,
            10);
    assertEquals(1, events.size(), events.toString());
    assertEquals("DELETED", events.get(0).path("type").asText());
    assertTrue(
        Long.parseLong(events.get(0).at("/object/metadata/resourceVersion").asText())
            > Long.parseLong(rv));
  }

  @Test
  void anInformerListsWatchesAndListsAgainAfterItsResourceVersionIsGone() throws Exception {
    Map<String, String> seen = new ConcurrentHashMap<>();
    List<String> deleted = new CopyOnWriteArrayList<>();
    SharedIndexInformer<ConfigMap> informer =
        api.client
            .configMaps()
            .inNamespace("default")
            .withLabel("t", "informed")
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(ConfigMap cm) {
                    seen.put(cm.getMetadata().getName(), cm.getData().get("v"));
                  }

                  @Override
                  public void onUpdate(ConfigMap old, ConfigMap cm) {
                    onAdd(cm);
                  }

                  @Override
                  public void onDelete(ConfigMap cm, boolean unknown) {
                    deleted.add(cm.getMetadata().getName());
                  }
                });
    try {
      informer.run();
      configMap("i1", Map.of("t", "informed"), "1");
      eventually("added", () -> "1".equals(seen.get("i1")));
      configMap("i1", Map.of("t", "informed"), "2");
      eventually("updated", () -> "2".equals(seen.get("i1")));
      api.watches.expireAll(); // every watch ends; its resourceVersion is too old now
      for (int i = 0; i < 12; i++) {
        configMap("churn2", Map.of(), Integer.toString(i));
      }
      configMap("i1", Map.of("t", "informed"), "3");
      configMap("i2", Map.of("t", "informed"), "1");
      eventually(
          "seen after the re-list", () -> "3".equals(seen.get("i1")) && seen.containsKey("i2"));
      api.send("DELETE", CMS + "/i2", null, null);
      eventually("deleted", () -> deleted.contains("i2"));
      assertTrue(informer.isRunning());
    } finally {
      informer.stop();
    }
    informer.stopped().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }
}
