package dev.nodecache.operator.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import dev.nodecache.api.DnsCachePolicy;
import dev.nodecache.operator.Fixtures;
import dev.nodecache.operator.OperatorPermissions;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The Helm chart, rendered and linted with Helm itself (helm-java, offline). */
class HelmChartTest {
  static final Path CHART = Fixtures.ROOT.resolve("charts/nodecache");

  static List<HasMetadata> render(UnaryOperator<TemplateCommand> values) {
    String yaml =
        values
            .apply(
                new Helm(CHART)
                    .template()
                    .withName("nodecache")
                    .withNamespace("nodecache-system")
                    .withKubeVersion("1.31.0"))
            .call();
    List<HasMetadata> out = new ArrayList<>();
    for (String doc : yaml.split("(?m)^---\\s*$")) {
      if (doc.lines().anyMatch(l -> l.startsWith("kind:"))) {
        Object parsed = Serialization.unmarshal(doc);
        assertTrue(parsed instanceof HasMetadata, "a Kubernetes object:\n" + doc);
        out.add((HasMetadata) parsed);
      }
    }
    return out;
  }

  static <T extends HasMetadata> T one(List<HasMetadata> objects, Class<T> type) {
    return objects.stream()
        .filter(type::isInstance)
        .map(type::cast)
        .filter(o -> !o.getMetadata().getName().equals(USER_ROLE))
        .findFirst()
        .orElseThrow();
  }

  static final String USER_ROLE = "nodecache-operator-user";

  @Test
  void theUserRoleGrantsWhatTheKubectlPluginDoesAndNoMore() {
    List<HasMetadata> objects = render(t -> t);
    Set<String> granted = new TreeSet<>();
    for (HasMetadata o : objects) {
      if (o.getMetadata().getName().equals(USER_ROLE) && o instanceof ClusterRole c) {
        c.getRules().forEach(r -> expand(r, true, granted));
      } else if (o.getMetadata().getName().equals(USER_ROLE) && o instanceof Role r) {
        assertEquals("nodecache-system", r.getMetadata().getNamespace());
        r.getRules().forEach(x -> expand(x, false, granted));
      }
    }
    // kubectl-plugin: Cluster.policies/reread/patchPolicy, agents, agentGet, token
    assertEquals(
        new TreeSet<>(
            Set.of(
                "cluster nodecache.dev/dnscachepolicies get",
                "cluster nodecache.dev/dnscachepolicies list",
                "cluster nodecache.dev/dnscachepolicies patch",
                "namespace /pods list",
                "namespace /pods/proxy get",
                "namespace /secrets get")),
        granted);
    assertTrue(
        render(t -> t.set("userRole.create", false)).stream()
            .noneMatch(o -> o.getMetadata().getName().equals(USER_ROLE)));
  }

  static Set<String> kinds(List<HasMetadata> objects) {
    Set<String> kinds = new TreeSet<>();
    objects.forEach(o -> kinds.add(o.getKind()));
    return kinds;
  }

  @Test
  void theChartLints() {
    LintResult lint = new Helm(CHART).lint().strict().call();
    assertFalse(lint.isFailed(), String.join("\n", lint.getMessages()));
  }

  @Test
  void defaultsRenderTheOperatorItsIdentityAndItsRbacOnly() {
    List<HasMetadata> objects = render(t -> t);
    assertEquals(
        Set.of(
            "ClusterRole",
            "ClusterRoleBinding",
            "Deployment",
            "Role",
            "RoleBinding",
            "Service",
            "ServiceAccount"),
        kinds(objects));
    for (HasMetadata o : objects) {
      assertNotNull(o.getMetadata().getName());
    }
  }

  @Test
  void everyOptionalPartRenders() {
    List<HasMetadata> objects =
        render(
            t ->
                t.set("defaultPolicy.enabled", true)
                    .set("metrics.serviceMonitor.enabled", true)
                    .set("metrics.prometheusRule.enabled", true)
                    .set("dashboard.enabled", true)
                    .set("operator.replicas", 2)
                    .set("image.operator.tag", "1.2.3"));
    assertTrue(
        kinds(objects)
            .containsAll(Set.of("DnsCachePolicy", "ServiceMonitor", "PrometheusRule", "ConfigMap")),
        kinds(objects).toString());
    DnsCachePolicy policy =
        Serialization.unmarshal(
            Serialization.asYaml(
                objects.stream()
                    .filter(o -> o.getKind().equals("DnsCachePolicy"))
                    .findFirst()
                    .orElseThrow()),
            DnsCachePolicy.class);
    assertEquals("169.254.20.10", policy.getSpec().listen.addresses.get(0));
    GenericKubernetesResource rule =
        (GenericKubernetesResource)
            objects.stream()
                .filter(o -> o.getKind().equals("PrometheusRule"))
                .findFirst()
                .orElseThrow();
    String alerts = Serialization.asYaml(rule);
    for (String alert :
        List.of(
            "NodeCacheAgentNotReady",
            "NodeCacheFlushFailed",
            "NodeCacheUpstreamErrors",
            "NodeCacheHitRateCollapse")) {
      assertTrue(alerts.contains(alert), alert);
    }
    Deployment d = one(objects, Deployment.class);
    assertEquals(2, d.getSpec().getReplicas());
    assertEquals(
        "nodecache/nodecache-operator:1.2.3",
        d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
    String dashboard =
        Serialization.asYaml(
            objects.stream()
                .filter(o -> o.getKind().equals("ConfigMap"))
                .findFirst()
                .orElseThrow());
    for (String panel :
        List.of(
            "Cache hit rate",
            "Queries per second",
            "latency",
            "Stale answers",
            "Flushes per node")) {
      assertTrue(dashboard.contains(panel), panel);
    }
  }

  @Test
  void twoReplicasWithoutLeaderElectionAreRefused() {
    try {
      render(t -> t.set("operator.replicas", 2).set("operator.leaderElection", false));
      throw new AssertionError("rendered");
    } catch (IllegalStateException e) {
      assertTrue(e.getMessage().contains("leaderElection"), e.getMessage());
    }
  }

  @Test
  void theOperatorPodIsLockedDown() {
    Deployment d = one(render(t -> t), Deployment.class);
    PodSpec pod = d.getSpec().getTemplate().getSpec();
    assertTrue(pod.getSecurityContext().getRunAsNonRoot());
    assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType());
    Container c = pod.getContainers().get(0);
    assertTrue(c.getSecurityContext().getReadOnlyRootFilesystem());
    assertFalse(c.getSecurityContext().getAllowPrivilegeEscalation());
    assertEquals(List.of("ALL"), c.getSecurityContext().getCapabilities().getDrop());
    assertNotNull(c.getReadinessProbe().getHttpGet());
    assertNotNull(c.getLivenessProbe().getHttpGet());
    assertNotNull(c.getResources().getLimits().get("memory"));
    assertTrue(c.getArgs().contains("run"));
    assertFalse(c.getArgs().contains("--no-leader-election"));
  }

  @Test
  void rbacGrantsExactlyWhatTheOperatorUses() {
    List<HasMetadata> objects = render(t -> t);
    Set<String> granted = new TreeSet<>();
    for (PolicyRule r : one(objects, ClusterRole.class).getRules()) {
      expand(r, true, granted);
    }
    for (PolicyRule r : one(objects, Role.class).getRules()) {
      expand(r, false, granted);
    }
    Set<String> used = new TreeSet<>();
    for (OperatorPermissions.Rule r : OperatorPermissions.RULES) {
      for (String verb : r.verbs()) {
        used.add(
            (r.clusterWide() ? "cluster " : "namespace ")
                + r.apiGroup()
                + "/"
                + r.resource()
                + " "
                + verb);
      }
    }
    assertEquals(used, granted);
    assertFalse(granted.stream().anyMatch(g -> g.contains("*")), "no wildcards");
  }

  private static void expand(PolicyRule r, boolean cluster, Set<String> out) {
    for (String g : r.getApiGroups()) {
      for (String res : r.getResources()) {
        for (String verb : r.getVerbs()) {
          out.add((cluster ? "cluster " : "namespace ") + g + "/" + res + " " + verb);
        }
      }
    }
  }

  @Test
  void theChartsCrdsAreTheGeneratedOnes() throws Exception {
    assertEquals(
        Files.readString(Fixtures.crd()),
        Files.readString(CHART.resolve("crds/dnscachepolicies.nodecache.dev-v1.yml")));
  }
}
