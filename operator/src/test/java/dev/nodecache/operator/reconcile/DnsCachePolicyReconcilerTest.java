package dev.nodecache.operator.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nodecache.api.DnsCachePolicy;
import dev.nodecache.api.UpstreamGroup;
import dev.nodecache.operator.Fixtures;
import dev.nodecache.operator.NodeCacheOperator;
import dev.nodecache.operator.PolicyNames;
import dev.nodecache.operator.status.PolicyConditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Clock;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The reconciler against the fabric8 mock API server in CRUD mode (no SSA, as configured). */
@EnableKubernetesMockClient(crud = true)
class DnsCachePolicyReconcilerTest {
  static final String NS = "nodecache-system";
  static final ObjectMapper JSON = new ObjectMapper();

  /** Past the start grace of every DaemonSet the tests make: not-ready agents are failing. */
  static final Clock CLOCK =
      Clock.offset(Clock.systemUTC(), DnsCachePolicyReconciler.START_GRACE.plusMinutes(1));

  KubernetesClient client;
  NodeCacheOperator operator;

  @BeforeEach
  void start() throws Exception {
    Fixtures.prepareCluster(client);
    operator = new NodeCacheOperator(client, Fixtures.SETTINGS, false, CLOCK);
    operator.start();
  }

  @AfterEach
  void stop() {
    operator.close();
  }

  DnsCachePolicy create(String name, Map<String, String> selector) {
    DnsCachePolicy p = Fixtures.examplePolicy("default-policy.yaml");
    p.getMetadata().setName(name);
    p.getSpec().nodeSelector = selector;
    return client.resource(p).create();
  }

  <T extends HasMetadata> T get(Class<T> type, String name) {
    return client.resources(type).inNamespace(NS).withName(name).get();
  }

  /** Edits a policy, retrying when the operator wrote its status in between (409). */
  void edit(String name, java.util.function.UnaryOperator<DnsCachePolicy> change) {
    for (int attempt = 0; ; attempt++) {
      try {
        DnsCachePolicy p = policy(name);
        client.resource(change.apply(p)).update();
        return;
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 409 || attempt > 20) {
          throw e;
        }
      }
    }
  }

  DnsCachePolicy policy(String name) {
    return client.resources(DnsCachePolicy.class).withName(name).get();
  }

  static <T> T eventually(String what, Supplier<T> value) throws InterruptedException {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (System.nanoTime() < deadline) {
      T v = value.get();
      if (v != null && !Boolean.FALSE.equals(v)) {
        return v;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("not within 20s: " + what);
  }

  /** The condition, or null while the policy, its status or the condition does not exist. */
  Condition condition(String policy, String type) {
    DnsCachePolicy p = policy(policy);
    return p == null ? null : PolicyConditions.find(p.getStatus(), type);
  }

  boolean conditionIs(String policy, String type, String status) {
    Condition c = condition(policy, type);
    return c != null && c.getStatus().equals(status);
  }

  @Test
  void aNewPolicyGetsEveryOwnedObject() throws Exception {
    DnsCachePolicy p = create("default", Map.of());
    DaemonSet ds = eventually("DaemonSet", () -> get(DaemonSet.class, "nodecache-default"));
    ConfigMap cm = get(ConfigMap.class, "nodecache-default");
    Secret token = get(Secret.class, "nodecache-default-admin-token");
    ServiceAccount sa = get(ServiceAccount.class, "nodecache-default");
    Service svc = get(Service.class, "nodecache-default");
    for (HasMetadata owned : new HasMetadata[] {ds, cm, token, sa, svc}) {
      assertNotNull(owned);
      assertEquals(
          p.getMetadata().getUid(),
          owned.getMetadata().getOwnerReferences().get(0).getUid(),
          "owned by the policy (garbage-collected with it): " + owned.getKind());
    }
    JsonNode config = JSON.readTree(cm.getData().get(PolicyNames.CONFIG_KEY));
    assertEquals("10.96.0.10", config.at("/upstreams/0/servers/0").asText(), "serviceRef resolved");
    assertEquals("169.254.20.10", config.at("/listen/addresses/0").asText());
    assertFalse(sa.getAutomountServiceAccountToken());
    assertEquals("None", svc.getSpec().getClusterIP());
    assertTrue(ds.getSpec().getTemplate().getSpec().getHostNetwork());
    assertNotNull(
        ds.getSpec().getTemplate().getMetadata().getAnnotations().get(PolicyNames.CONFIG_CHECKSUM));
    Condition ready = eventually("status", () -> condition("default", PolicyConditions.READY));
    assertEquals("False", ready.getStatus());
    assertEquals(1L, policy("default").getStatus().observedGeneration);
    String metrics =
        new String(operator.metrics().scrape(), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(
        metrics.contains("nodecache_operator_reconciles_total{result=\"success\"}"), metrics);
  }

  @Test
  void aReloadableChangeUpdatesTheConfigMapButDoesNotRollTheAgents() throws Exception {
    create("default", Map.of());
    DaemonSet ds = eventually("DaemonSet", () -> get(DaemonSet.class, "nodecache-default"));
    String checksum = checksum(ds);
    String token = get(Secret.class, "nodecache-default-admin-token").getData().get("token");

    edit(
        "default",
        p -> {
          p.getSpec().cache.maxTtl = "10m";
          return p;
        });
    eventually(
        "maxTtl 10m in the ConfigMap",
        () ->
            get(ConfigMap.class, "nodecache-default")
                .getData()
                .get(PolicyNames.CONFIG_KEY)
                .contains("\"10m\""));
    assertEquals(checksum, checksum(get(DaemonSet.class, "nodecache-default")));

    edit(
        "default",
        p -> {
          p.getSpec().listen.port = 5353;
          return p;
        });
    eventually(
        "a new checksum: the listen port needs a restart",
        () -> !checksum.equals(checksum(get(DaemonSet.class, "nodecache-default"))));
    assertEquals(
        token,
        get(Secret.class, "nodecache-default-admin-token").getData().get("token"),
        "the admin token is never rotated by a reconcile");
  }

  @Test
  void theStatusFollowsTheDaemonSet() throws Exception {
    create("default", Map.of());
    DaemonSet ds = eventually("DaemonSet", () -> get(DaemonSet.class, "nodecache-default"));
    ds.setStatus(
        new DaemonSetStatusBuilder()
            .withDesiredNumberScheduled(3)
            .withNumberReady(2)
            .withUpdatedNumberScheduled(3)
            .withNumberAvailable(2)
            .withObservedGeneration(ds.getMetadata().getGeneration())
            .build());
    client.resource(ds).updateStatus();
    eventually("2/3 and Degraded", () -> conditionIs("default", PolicyConditions.DEGRADED, "True"));
    assertEquals("2/3", policy("default").getStatus().nodes.summary);
    assertEquals("NodesNotReady", condition("default", PolicyConditions.DEGRADED).getReason());

    ds = get(DaemonSet.class, "nodecache-default");
    ds.getStatus().setNumberReady(3);
    client.resource(ds).updateStatus();
    eventually("Ready", () -> conditionIs("default", PolicyConditions.READY, "True"));
    Condition ready = condition("default", PolicyConditions.READY);
    assertEquals("AllNodesReady", ready.getReason());
    assertEquals("False", condition("default", PolicyConditions.DEGRADED).getStatus());
  }

  @Test
  void aLaterOverlappingPolicyGetsConflictAndNoDaemonSet() throws Exception {
    create("first", Map.of("pool", "a"));
    eventually("first DaemonSet", () -> get(DaemonSet.class, "nodecache-first"));
    Thread.sleep(1100); // creation timestamps have one-second resolution
    create("second", Map.of());
    create("third", Map.of("pool", "b"));
    Condition conflict =
        eventually(
            "Conflict",
            () -> {
              Condition c =
                  policy("second").getStatus() == null
                      ? null
                      : condition("second", PolicyConditions.CONFLICT);
              return c != null && c.getStatus().equals("True") ? c : null;
            });
    assertEquals("NodeSelectorOverlap", conflict.getReason());
    assertTrue(conflict.getMessage().contains("first"));
    eventually(
        "third DaemonSet: pool=b does not overlap pool=a",
        () -> get(DaemonSet.class, "nodecache-third"));
    assertNull(get(DaemonSet.class, "nodecache-second"));
  }

  @Test
  void anInvalidSpecIsDegradedAndTearsNothingDown() throws Exception {
    create("default", Map.of());
    eventually("DaemonSet", () -> get(DaemonSet.class, "nodecache-default"));
    ConfigMap before = eventually("ConfigMap", () -> get(ConfigMap.class, "nodecache-default"));

    // The schema cannot see that "." is served by two groups; the agent would refuse it.
    edit(
        "default",
        p -> {
          UpstreamGroup g = new UpstreamGroup();
          g.zones = java.util.List.of(".");
          g.servers = java.util.List.of("10.0.0.1");
          p.getSpec().upstreams.add(g);
          return p;
        });
    Condition degraded =
        eventually(
            "Degraded",
            () -> {
              Condition c = condition("default", PolicyConditions.DEGRADED);
              return c != null && c.getStatus().equals("True") ? c : null;
            });
    assertEquals("InvalidSpec", degraded.getReason());
    assertTrue(
        degraded.getMessage().startsWith("spec.upstreams[2].zones: zone \".\" is listed twice"),
        degraded.getMessage());
    assertEquals(before.getData(), get(ConfigMap.class, "nodecache-default").getData());
    assertNotNull(get(DaemonSet.class, "nodecache-default"));
  }

  @Test
  void aMissingUpstreamServiceIsDegraded() throws Exception {
    client.services().inNamespace("kube-system").withName("kube-dns").delete();
    create("default", Map.of());
    Condition degraded =
        eventually(
            "Degraded",
            () -> {
              Condition c =
                  policy("default").getStatus() == null
                      ? null
                      : condition("default", PolicyConditions.DEGRADED);
              return c != null && c.getStatus().equals("True") ? c : null;
            });
    assertEquals("UpstreamServiceNotFound", degraded.getReason());
    assertNull(get(DaemonSet.class, "nodecache-default"));
  }

  @Test
  void anOperatorRestartChangesNothing() throws Exception {
    create("default", Map.of());
    eventually("Ready condition", () -> condition("default", PolicyConditions.READY));
    eventually(
        "invalidation following",
        () -> {
          var status = policy("default").getStatus();
          var inv = status == null ? null : status.invalidation;
          return inv != null && "Following".equals(inv.phase) ? true : null;
        });
    Thread.sleep(500);
    Map<String, String> versions = versions();
    String before = statusWithoutStream();
    operator.close();
    operator = new NodeCacheOperator(client, Fixtures.SETTINGS, false, CLOCK);
    operator.start();
    Thread.sleep(2000);
    assertEquals(versions, versions(), "no owned object was written again");
    // A restart starts a new invalidation stream (its batch numbers start again), nothing else.
    assertEquals(before, statusWithoutStream(), "no status churn");
  }

  String statusWithoutStream() {
    var status = policy("default").getStatus();
    status.invalidation = null;
    return Serialization.asJson(status);
  }

  Map<String, String> versions() {
    return Map.of(
        "ds", get(DaemonSet.class, "nodecache-default").getMetadata().getResourceVersion(),
        "cm", get(ConfigMap.class, "nodecache-default").getMetadata().getResourceVersion(),
        "secret",
            get(Secret.class, "nodecache-default-admin-token").getMetadata().getResourceVersion(),
        "sa", get(ServiceAccount.class, "nodecache-default").getMetadata().getResourceVersion(),
        "svc", get(Service.class, "nodecache-default").getMetadata().getResourceVersion());
  }

  static String checksum(DaemonSet ds) {
    return ds.getSpec()
        .getTemplate()
        .getMetadata()
        .getAnnotations()
        .get(PolicyNames.CONFIG_CHECKSUM);
  }
}
