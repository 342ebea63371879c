package dev.nodecache.local.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every x-kubernetes-validations rule of the committed CRD, compiled with dev.cel as the API server
 * binds it ({@code self} typed from the rule's schema node, {@code oldSelf} beside it), and
 * evaluated on a policy it must admit and one it must refuse with its message.
 */
class CrdRulesTest {
  static final CustomResourceValidator CRD = CommittedCrd.validator();
  static final String LISTEN = "listen: {addresses: [169.254.20.10, \"fd00::10\"]}\n";
  static final String UPSTREAMS = "upstreams: [{zones: [\".\"]}]\n";

  /** A rule, where it sits, and a spec it admits and one it refuses at {@code field}. */
  record Row(String location, String valid, String invalid, String field) {
    @Override
    public String toString() {
      return location;
    }
  }

  static Stream<Row> rows() {
    String zone = "cache: {zones: [{zones: [cluster.local], %s}]}";
    return Stream.of(
        new Row(
            "spec.cache",
            LISTEN + UPSTREAMS + "cache: {minTtl: 1m, maxTtl: 1h}",
            LISTEN + UPSTREAMS + "cache: {minTtl: 2h, maxTtl: 1h}",
            "spec.cache"),
        new Row(
            "spec.cache.serveStale.answerTtl",
            LISTEN + UPSTREAMS + "cache: {serveStale: {answerTtl: 30s}}",
            LISTEN + UPSTREAMS + "cache: {serveStale: {answerTtl: 0s}}",
            "spec.cache.serveStale.answerTtl"),
        new Row(
            "spec.cache.servfailTtl",
            LISTEN + UPSTREAMS + "cache: {servfailTtl: 5m}",
            LISTEN + UPSTREAMS + "cache: {servfailTtl: 5m1s}",
            "spec.cache.servfailTtl"),
        new Row(
            "spec.cache.zones[*]",
            LISTEN + UPSTREAMS + zone.formatted("minTtl: 0s, maxTtl: 10s"),
            LISTEN + UPSTREAMS + zone.formatted("minTtl: 11s, maxTtl: 10s"),
            "spec.cache.zones[0]"),
        new Row(
            "spec.cache.zones[*].serveStale.answerTtl",
            LISTEN + UPSTREAMS + zone.formatted("serveStale: {answerTtl: 1s}"),
            LISTEN + UPSTREAMS + zone.formatted("serveStale: {answerTtl: 0ms}"),
            "spec.cache.zones[0].serveStale.answerTtl"),
        new Row(
            "spec.cache.zones[*].servfailTtl",
            LISTEN + UPSTREAMS + zone.formatted("servfailTtl: 0s"),
            LISTEN + UPSTREAMS + zone.formatted("servfailTtl: 1h"),
            "spec.cache.zones[0].servfailTtl"),
        new Row(
            "spec.listen.addresses",
            LISTEN + UPSTREAMS,
            "listen: {addresses: [169.254.20.10, node-a]}\n" + UPSTREAMS,
            "spec.listen.addresses"),
        new Row(
            "spec.network.interceptClusterDns",
            LISTEN + UPSTREAMS + "network: {interceptClusterDns: [10.96.0.10, \"fd00::a\"]}",
            LISTEN + UPSTREAMS + "network: {interceptClusterDns: [kube-dns]}",
            "spec.network.interceptClusterDns"),
        new Row(
            "spec.upstreams[*]",
            LISTEN
                + "upstreams: [{zones: [\".\"], serviceRef: {name: a, namespace: b},"
                + " servers: []}]",
            LISTEN
                + "upstreams: [{zones: [\".\"], serviceRef: {name: a, namespace: b},"
                + " servers: [10.0.0.1]}]",
            "spec.upstreams[0]"),
        new Row(
            "spec.upstreams[*].servers",
            LISTEN
                + "upstreams: [{zones: [\".\"], servers: [10.0.0.1, \"10.0.0.2:5353\","
                + " \"[fd00::1]:53\", \"fd00::2\"]}]",
            LISTEN + "upstreams: [{zones: [\".\"], servers: [dns.example.com]}]",
            "spec.upstreams[0].servers"));
  }

  static ObjectNode policy(String spec) {
    return DnsCachePolicyAdmissionTest.policy(spec);
  }

  @Test
  void everyRuleCompiles() {
    assertTrue(CRD.rules().size() >= 10, "the rules were found: " + CRD.rules().size());
    for (CelRule rule : CRD.rules()) {
      assertNull(rule.compileError, rule.location + ": " + rule.source.rule());
    }
  }

  @Test
  void everyRuleHasARow() {
    Set<String> covered = rows().map(Row::location).collect(Collectors.toSet());
    List<String> missing =
        CRD.rules().stream().map(r -> r.location).filter(l -> !covered.contains(l)).toList();
    assertEquals(List.of(), missing, "rules without a valid and an invalid example");
  }

  @Test
  void noRuleComparesWithOldSelfYet() {
    // If one is added, give it a row in SchemaBehaviourTest's manner: create and update.
    assertEquals(
        List.of(), CRD.rules().stream().filter(r -> r.usesOldSelf).map(r -> r.location).toList());
  }

  @ParameterizedTest
  @MethodSource("rows")
  void theRuleAdmitsItsValidExample(Row row) {
    assertEquals(List.of(), CRD.validate(policy(row.valid()), null));
  }

  @ParameterizedTest
  @MethodSource("rows")
  void theRuleRefusesItsInvalidExampleWithItsMessage(Row row) {
    List<CelRule> rules =
        CRD.rules().stream().filter(r -> r.location.equals(row.location())).toList();
    List<Cause> causes = CRD.validate(policy(row.invalid()), null);
    assertEquals(1, causes.size(), causes.toString());
    Cause cause = causes.get(0);
    assertEquals(row.field(), cause.field());
    assertEquals("FieldValueInvalid", cause.reason());
    assertTrue(
        rules.stream().anyMatch(r -> cause.message().endsWith(": " + r.source.message())),
        cause.message());
  }

  @ParameterizedTest
  @MethodSource("dev.nodecache.local.admission.DnsCachePolicyAdmissionTest#examples")
  void everyExamplePassesEveryRule(java.nio.file.Path example) {
    assertEquals(List.of(), CRD.validate(CommittedCrd.read(example), null));
  }
}
