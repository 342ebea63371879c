package dev.nodecache.local.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.nodecache.local.testing.LocalClusterProcess;
import dev.nodecache.local.testing.LocalClusterProcess.Result;
import dev.nodecache.operator.Fixtures;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real kubectl against the embedded API alone (no agents, so it is quick): where the point is
 * what kubectl does with the API server's answers.
 */
class KubectlTest {
  @TempDir static Path dir;
  static TestApi api;
  static Path kubeconfig;

  @BeforeAll
  static void start() throws Exception {
    Assumptions.assumeTrue(LocalClusterProcess.onPath("kubectl"), "kubectl is not on the PATH");
    Files.writeString(dir.resolve("agent.log"), "agent started\nlistening on 127.0.100.1:53\n");
    api =
        new TestApi(10_000, (ns, pod) -> pod.equals("agent-pod") ? dir.resolve("agent.log") : null);
    kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(
        kubeconfig,
        """
        apiVersion: v1
        kind: Config
        clusters: [{name: c, cluster: {server: "%s"}}]
        contexts: [{name: c, context: {cluster: c, user: u, namespace: default}}]
        users: [{name: u, user: {token: t}}]
        current-context: c
        """
            .formatted(api.front.uri()));
    api.client
        .namespaces()
        .resource(
            new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                .withNewMetadata()
                .withName("default")
                .endMetadata()
                .build())
        .create();
    api.client
        .pods()
        .inNamespace("default")
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName("agent-pod")
                .endMetadata()
                .withNewSpec()
                .withNodeName("local-node-1")
                .addNewContainer()
                .withName("agent")
                .withImage("a")
                .endContainer()
                .endSpec()
                .withNewStatus()
                .withPhase("Running")
                .withPodIP("127.0.100.1")
                .endStatus()
                .build())
        .create();
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  static Result kubectl(String... args) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "kubectl",
                "--kubeconfig",
                kubeconfig.toString(),
                "--request-timeout=10s",
                "--cache-dir",
                dir.resolve("cache").toString()));
    cmd.addAll(List.of(args));
    return LocalClusterProcess.run(cmd, 30);
  }

  static String example(String name) {
    return Fixtures.ROOT.resolve("examples/" + name).toString();
  }

  @Test
  void servicesAreCreatedPatchedAndRefusedAsByAnApiServer() throws Exception {
    // kubectl create sends protobuf; the ClusterIP comes from the service range.
    Result created = kubectl("create", "service", "clusterip", "db", "--tcp=5432:5432");
    assertTrue(created.ok(), created.out());
    JsonNode db = TestApi.parse(kubectl("get", "svc", "db", "-o", "json").out());
    String ip = db.at("/spec/clusterIP").asText();
    assertTrue(ip.matches("10\\.(9[6-9]|10[0-9]|11[01])\\.\\d+\\.\\d+"), ip);
    assertEquals(ip, db.at("/spec/clusterIPs/0").asText());
    assertEquals("ClusterIP", db.at("/spec/type").asText());
    assertEquals("None", db.at("/spec/sessionAffinity").asText());
    assertEquals("TCP", db.at("/spec/ports/0/protocol").asText());
    assertEquals(5432, db.at("/spec/ports/0/targetPort").asInt());
    assertEquals("db", db.at("/spec/selector/app").asText(), "kubectl's selector kept");

    Result table = kubectl("get", "svc", "db");
    assertTrue(table.out().contains(ip) && table.out().contains("5432/TCP"), table.out());
    // A patch that does not name the ClusterIP keeps it; one that changes it is refused.
    assertTrue(
        kubectl("patch", "svc", "db", "-p", "{\"metadata\":{\"labels\":{\"x\":\"y\"}}}").ok());
    assertEquals(ip, kubectl("get", "svc", "db", "-o", "jsonpath={.spec.clusterIP}").out());
    Result moved = kubectl("patch", "svc", "db", "-p", "{\"spec\":{\"clusterIP\":\"10.96.9.9\"}}");
    assertFalse(moved.ok());
    assertTrue(
        moved.out().contains("spec.clusterIP: Invalid value: \"10.96.9.9\": field is immutable"),
        moved.out());

    Result taken =
        kubectl("create", "service", "clusterip", "db2", "--tcp=1:1", "--clusterip=" + ip);
    assertFalse(taken.ok());
    assertTrue(taken.out().contains("provided IP is already allocated"), taken.out());
    Result outside =
        kubectl("create", "service", "clusterip", "db3", "--tcp=1:1", "--clusterip=192.168.1.1");
    assertFalse(outside.ok());
    assertTrue(outside.out().contains("not in the valid range"), outside.out());
    Result headless =
        kubectl("create", "service", "clusterip", "pg", "--clusterip=None", "--tcp=5432:5432");
    assertTrue(headless.ok(), headless.out());
    assertEquals("None", kubectl("get", "svc", "pg", "-o", "jsonpath={.spec.clusterIP}").out());

    Result ext =
        kubectl("create", "service", "externalname", "ext", "--external-name", "www.example.com");
    assertTrue(ext.ok(), ext.out());
    assertEquals(
        "ExternalName/",
        kubectl("get", "svc", "ext", "-o", "jsonpath={.spec.type}/{.spec.clusterIP}").out());
    Result badName =
        kubectl("create", "service", "externalname", "ext2", "--external-name", "Not_A_Name");
    assertFalse(badName.ok(), badName.out());

    // Other kinds kubectl create sends as protobuf.
    Result cm = kubectl("create", "configmap", "c1", "--from-literal=k=v");
    assertTrue(cm.ok(), cm.out());
    assertEquals("v", kubectl("get", "configmap", "c1", "-o", "jsonpath={.data.k}").out());
    Result secret = kubectl("create", "secret", "generic", "s1", "--from-literal=token=abc");
    assertTrue(secret.ok(), secret.out());
    assertEquals("YWJj", kubectl("get", "secret", "s1", "-o", "jsonpath={.data.token}").out());
    assertTrue(kubectl("delete", "svc", "db", "pg", "ext").ok());
  }

  @Test
  void endpointSlicesAreCheckedForWhatClusterDnsReads() throws Exception {
    String slice =
        """
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata: {name: s-1, labels: {kubernetes.io/service-name: s}}
        addressType: IPv4
        endpoints: [{addresses: ["%s"]}]
        """;
    Path good = dir.resolve("slice.yaml");
    Files.writeString(good, slice.formatted("10.244.0.1"));
    Result ok = kubectl("apply", "-f", good.toString());
    assertTrue(ok.ok(), ok.out());
    Files.writeString(good, slice.formatted("not-an-ip"));
    Result bad = kubectl("apply", "-f", good.toString());
    assertFalse(bad.ok());
    assertTrue(bad.out().contains("endpoints[0].addresses[0]"), bad.out());
    assertTrue(kubectl("delete", "endpointslice", "s-1").ok());
  }

  @Test
  void oneExampleAppliedOverAnotherLeavesExactlyTheSecondsSpec() throws Exception {
    assertTrue(kubectl("apply", "-f", example("default-policy.yaml")).ok());
    Result second = kubectl("apply", "-f", example("per-zone-ttl-policy.yaml"));
    assertTrue(second.ok(), second.out());
    JsonNode spec = TestApi.parse(kubectl("get", "dcp", "default", "-o", "json").out()).get("spec");
    JsonNode expected =
        new YAMLMapper()
            .readTree(Fixtures.ROOT.resolve("examples/per-zone-ttl-policy.yaml").toFile())
            .get("spec");
    assertEquals(expected, spec);
    assertTrue(kubectl("apply", "-f", example("migration-policy.yaml")).ok());
    expected =
        new YAMLMapper()
            .readTree(Fixtures.ROOT.resolve("examples/migration-policy.yaml").toFile())
            .get("spec");
    assertEquals(
        expected, TestApi.parse(kubectl("get", "dcp", "default", "-o", "json").out()).get("spec"));
  }

  @Test
  void aTypoAndAnInvalidValueAreRefusedAsByAClusterAndNothingIsStored() throws Exception {
    kubectl("apply", "-f", example("default-policy.yaml"));
    Path typo = dir.resolve("typo.yaml");
    Files.writeString(
        typo,
        Files.readString(Path.of(example("default-policy.yaml")))
            .replace("maxTtl: 1h", "maxTTL: 2h"));
    Result r = kubectl("apply", "-f", typo.toString());
    assertFalse(r.ok(), r.out());
    assertTrue(
        r.out().contains("strict decoding error: unknown field \"spec.cache.maxTTL\""), r.out());
    Result invalid =
        kubectl(
            "patch",
            "dcp",
            "default",
            "--type=merge",
            "-p",
            "{\"spec\":{\"cache\":{\"maxTtl\":\"forever\"}}}");
    assertFalse(invalid.ok(), invalid.out());
    assertTrue(
        invalid
            .out()
            .contains(
                "The DnsCachePolicy \"default\" is invalid:"
                    + " spec.cache.maxTtl: Invalid value: \"forever\""),
        invalid.out());
    Result strategic =
        kubectl("patch", "dcp", "default", "-p", "{\"spec\":{\"listen\":{\"port\":5353}}}");
    assertFalse(strategic.ok(), "kubectl patch's default type is strategic: " + strategic.out());
    assertTrue(
        strategic.out().contains("UnsupportedMediaType")
            || strategic.out().contains("unknown format"),
        strategic.out());
    assertEquals(
        "1h", kubectl("get", "dcp", "default", "-o", "jsonpath={.spec.cache.maxTtl}").out());
  }

  @Test
  void explainDescribesTheCustomResourcesFields() {
    Result r = kubectl("explain", "dnscachepolicy.spec.listen");
    assertTrue(r.ok(), r.out());
    assertTrue(
        r.out().contains("KIND:       DnsCachePolicy")
            && r.out().contains("port\t<integer>")
            && r.out().contains("addresses\t<[]string> -required-"),
        r.out());
  }

  @Test
  void describeShowsThePolicysEvents() throws Exception {
    kubectl("apply", "-f", example("default-policy.yaml"));
    String uid = kubectl("get", "dcp", "default", "-o", "jsonpath={.metadata.uid}").out();
    api.client
        .v1()
        .events()
        .inNamespace("nodecache-system")
        .resource(
            new EventBuilder()
                .withNewMetadata()
                .withName("default.1")
                .withNamespace("nodecache-system")
                .endMetadata()
                .withNewInvolvedObject()
                .withApiVersion("nodecache.dev/v1alpha1")
                .withKind("DnsCachePolicy")
                .withName("default")
                .withUid(uid)
                .endInvolvedObject()
                .withType("Normal")
                .withReason("FlushCompleted")
                .withMessage("Flush acknowledged")
                .withCount(1)
                .withFirstTimestamp(java.time.Instant.now().toString())
                .withLastTimestamp(java.time.Instant.now().toString())
                .withNewSource()
                .withComponent("nodecache-operator")
                .endSource()
                .build())
        .create();
    Result r = kubectl("describe", "dcp", "default");
    assertTrue(
        r.out().contains("FlushCompleted") && r.out().contains("nodecache-operator"), r.out());
    Result events = kubectl("get", "events", "-A");
    assertTrue(
        events.out().contains("LAST SEEN") && events.out().contains("dnscachepolicy/default"),
        events.out());
  }

  @Test
  void logsAreTheAgentsOutputAndAnUnknownPodIsNotFound() {
    Result r = kubectl("logs", "agent-pod", "--tail=1");
    assertEquals("listening on 127.0.100.1:53", r.out());
    Result missing = kubectl("logs", "nope");
    assertFalse(missing.ok());
    assertTrue(missing.out().contains("NotFound"), missing.out());
  }

  @Test
  void getPrintsEachKindsColumns() {
    Result pods = kubectl("get", "pods", "-o", "wide");
    assertTrue(
        pods.out()
            .matches(
                "(?s)NAME\\s+READY\\s+STATUS\\s+RESTARTS\\s+AGE\\s+IP\\s+NODE.*"
                    + "agent-pod.*127\\.0\\.100\\.1\\s+local-node-1.*"),
        pods.out());
    assertTrue(kubectl("get", "ns").out().startsWith("NAME"));
    Result crds = kubectl("get", "crds");
    assertTrue(
        crds.out().matches("(?s)NAME\\s+CREATED AT.*dnscachepolicies.nodecache.dev.*"), crds.out());
    Result dcp = kubectl("get", "dcp", "-o", "wide");
    assertTrue(dcp.ok() && dcp.out().startsWith("NAME"), dcp.out());
  }
}
