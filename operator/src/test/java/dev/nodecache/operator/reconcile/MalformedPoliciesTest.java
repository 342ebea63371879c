package dev.nodecache.operator.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nodecache.operator.Fixtures;
import dev.nodecache.operator.NodeCacheOperator;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.time.Clock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Policies the operator's model cannot read, stored as an API server without validation (or a newer
 * CRD, or a hand edit) would let them through: each is reported in its own status, none stops the
 * operator, none keeps the others from being reconciled, none tears anything down.
 */
@EnableKubernetesMockClient(crud = true)
class MalformedPoliciesTest {
  static final String NS = "nodecache-system";
  static final ObjectMapper JSON = new ObjectMapper();

  KubernetesClient client;
  NodeCacheOperator operator;

  @BeforeEach
  void start() throws Exception {
    Fixtures.prepareCluster(client);
    operator = new NodeCacheOperator(client, Fixtures.SETTINGS, false, Clock.systemUTC());
    operator.start();
  }

  @AfterEach
  void stop() {
    operator.close();
  }

  NonNamespaceOperation<GenericKubernetesResource, ?, Resource<GenericKubernetesResource>>
      policies() {
    return client.genericKubernetesResources("nodecache.dev/v1alpha1", "DnsCachePolicy");
  }

  /** The example policy as JSON, named {@code name}, on its own nodes, changed by {@code edit}. */
  void store(String name, Consumer<ObjectNode> edit) throws Exception {
    ObjectNode p =
        (ObjectNode)
            JSON.valueToTree(
                Serialization.unmarshal(
                    Files.readString(Fixtures.ROOT.resolve("examples/default-policy.yaml")),
                    Object.class));
    ((ObjectNode) p.get("metadata")).put("name", name);
    ((ObjectNode) p.get("spec")).putObject("nodeSelector").put("pool", name);
    edit.accept(p);
    policies().resource(JSON.treeToValue(p, GenericKubernetesResource.class)).create();
  }

  String statusField(String name, String pointer) {
    GenericKubernetesResource p = policies().withName(name).get();
    return p == null ? "" : JSON.valueToTree(p).at(pointer).asText("");
  }

  String degraded(String name) {
    GenericKubernetesResource p = policies().withName(name).get();
    if (p == null) {
      return "";
    }
    for (var c : JSON.valueToTree(p).at("/status/conditions")) {
      if (c.path("type").asText().equals("Degraded")) {
        return c.path("status").asText()
            + "/"
            + c.path("reason").asText()
            + ": "
            + c.path("message").asText();
      }
    }
    return "";
  }

  static <T> T eventually(String what, Supplier<T> value) throws InterruptedException {
    return DnsCachePolicyReconcilerTest.eventually(what, value);
  }

  DaemonSet daemonSet(String policy) {
    return client.apps().daemonSets().inNamespace(NS).withName("nodecache-" + policy).get();
  }

  @Test
  void badPoliciesAreReportedAndTheOthersKeepReconciling() throws Exception {
    store("typo", p -> ((ObjectNode) p.get("spec").get("cache")).put("maxTTL", "2h"));
    store("wrongtype", p -> ((ObjectNode) p.get("spec").get("listen")).put("port", "fifty-three"));
    store("specisastring", p -> p.put("spec", "hello"));
    store("nospec", p -> p.remove("spec"));
    store("good", p -> {});

    eventually("the good policy's DaemonSet", () -> daemonSet("good"));
    String typo =
        eventually(
            "typo reported",
            () -> degraded("typo").startsWith("True/IgnoredFields") ? degraded("typo") : null);
    assertTrue(typo.contains("spec.cache.maxTTL"), typo);
    assertNotNull(daemonSet("typo"), "an ignored field does not stop the rest of the spec");
    String wrongType =
        eventually(
            "wrongtype reported",
            () ->
                degraded("wrongtype").startsWith("True/UnreadableSpec")
                    ? degraded("wrongtype")
                    : null);
    assertTrue(wrongType.contains("spec.listen.port"), wrongType);
    eventually(
        "spec as a string reported",
        () -> degraded("specisastring").startsWith("True/UnreadableSpec"));
    eventually("no spec reported", () -> degraded("nospec").startsWith("True/UnreadableSpec"));
    assertNull(daemonSet("wrongtype"));
    assertNull(daemonSet("specisastring"));
    assertEquals("Degraded: UnreadableSpec", statusField("wrongtype", "/status/state"));
    assertTrue(operator.healthy(), "the operator keeps running");

    // Fixed by its user: reconciled like any other.
    GenericKubernetesResource fixed = policies().withName("wrongtype").get();
    ObjectNode tree = JSON.valueToTree(fixed);
    ((ObjectNode) tree.at("/spec/listen")).put("port", 53);
    policies().resource(JSON.treeToValue(tree, GenericKubernetesResource.class)).update();
    eventually("wrongtype's DaemonSet once fixed", () -> daemonSet("wrongtype"));
  }

  @Test
  void aPolicyThatBecomesUnreadableKeepsItsRunningAgents() throws Exception {
    store("default", p -> {});
    DaemonSet ds = eventually("DaemonSet", () -> daemonSet("default"));
    ConfigMap config =
        eventually(
            "ConfigMap",
            () -> client.configMaps().inNamespace(NS).withName("nodecache-default").get());
    GenericKubernetesResource p = policies().withName("default").get();
    ObjectNode tree = JSON.valueToTree(p);
    ((ObjectNode) tree.at("/spec/cache")).put("maxEntries", "a lot");
    policies().resource(JSON.treeToValue(tree, GenericKubernetesResource.class)).update();
    String d =
        eventually(
            "reported",
            () ->
                degraded("default").startsWith("True/UnreadableSpec") ? degraded("default") : null);
    assertTrue(d.contains("spec.cache.maxEntries"), d);
    assertEquals(ds.getMetadata().getUid(), daemonSet("default").getMetadata().getUid());
    assertEquals(
        config.getData(),
        client.configMaps().inNamespace(NS).withName("nodecache-default").get().getData());
  }
}
