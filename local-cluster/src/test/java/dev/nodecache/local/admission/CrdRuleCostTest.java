package dev.nodecache.local.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cel.common.ast.CelExpr;
import dev.cel.common.navigation.CelNavigableExpr;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The API server estimates the worst-case cost of every CEL rule when a CRD is created and refuses
 * rules over budget. This keeps ours within it, conservatively: everything below a rule's node, and
 * every list or map above it (the rule runs once per item), has a maxItems, maxProperties or
 * maxLength; and no rule nests a comprehension over a list that does not depend on the outer item
 * (a quadratic walk of the same data).
 */
class CrdRuleCostTest {
  @Test
  void everyRuleReachesOnlyBoundedData() {
    assertEquals(List.of(), unbounded(CommittedCrd.validator().schema()));
  }

  @Test
  void noRuleWalksAListOncePerItemOfAList() {
    assertEquals(List.of(), quadratic(CommittedCrd.validator().rules()));
  }

  @Test
  void theChecksFindWhatTheApiServerWouldRefuse() {
    CustomResourceValidator old =
        SchemaBehaviourTest.crd(
            """
            type: object
            properties:
              spec:
                type: object
                properties:
                  migrations:
                    type: array
                    items:
                      type: object
                      properties: {name: {type: string}}
                  servers:
                    type: array
                    maxItems: 4
                    items: {type: string}
                    x-kubernetes-validations:
                    - rule: "self.all(s, s.matches('^[0-9.]+$'))"
                  groups:
                    type: array
                    maxItems: 4
                    items:
                      type: object
                      properties:
                        zones: {type: array, maxItems: 4, items: {type: string, maxLength: 9}}
                      x-kubernetes-validations:
                      - rule: "self.zones.all(z, self.zones.exists(y, y == z))"
                x-kubernetes-validations:
                - rule: >-
                    !has(self.migrations) ||
                    self.migrations.all(m, self.migrations.exists_one(n, n.name == m.name))
            """);
    assertEquals(
        List.of(
            "spec: spec.migrations has no maxItems",
            "spec: spec.migrations[*].name has no maxLength",
            "spec: spec.servers[*] has no maxLength",
            "spec.servers: spec.servers[*] has no maxLength"),
        unbounded(old.schema()));
    assertEquals(
        List.of(
            "spec: nested walk of self.migrations", "spec.groups[*]: nested walk of self.zones"),
        quadratic(old.rules()));
  }

  /** What each rule can reach that has no bound, as "rule node: unbounded node". */
  static List<String> unbounded(SchemaNode root) {
    List<String> found = new ArrayList<>();
    walk(root, "", new ArrayList<>(), found);
    return found;
  }

  private static void walk(
      SchemaNode s, String path, List<String> unboundedAbove, List<String> found) {
    if (!s.rules.isEmpty()) {
      String at = path.isEmpty() ? "<root>" : path;
      unboundedAbove.forEach(a -> found.add(at + ": " + a + " (runs once per item)"));
      List<String> below = new ArrayList<>();
      reach(s, path, below);
      below.forEach(b -> found.add(at + ": " + b));
    }
    List<String> above = new ArrayList<>(unboundedAbove);
    String own = ownBoundMissing(s, path);
    if (own != null && (s.items != null || s.isMap())) {
      above.add(own);
    }
    s.properties.forEach((name, p) -> walk(p, join(path, name), above, found));
    if (s.items != null) {
      walk(s.items, path + "[*]", above, found);
    }
    if (s.additionalProperties != null) {
      walk(s.additionalProperties, path + "[*]", above, found);
    }
  }

  private static void reach(SchemaNode s, String path, List<String> found) {
    String own = ownBoundMissing(s, path);
    if (own != null) {
      found.add(own);
    }
    s.properties.forEach((name, p) -> reach(p, join(path, name), found));
    if (s.items != null) {
      reach(s.items, path + "[*]", found);
    }
    if (s.additionalProperties != null) {
      reach(s.additionalProperties, path + "[*]", found);
    }
  }

  /** Why this node alone is unbounded, or null. Enums are bounded by their values. */
  private static String ownBoundMissing(SchemaNode s, String path) {
    if (s.type.equals("array") && s.maxItems == null) {
      return path + " has no maxItems";
    }
    if (s.isMap() && s.maxProperties == null) {
      return path + " has no maxProperties";
    }
    if (s.preserveUnknownFields && s.properties.isEmpty()) {
      return path + " preserves unknown fields";
    }
    boolean text = s.type.equals("string") || s.intOrString;
    if (text && s.maxLength == null && s.enumValues.isEmpty()) {
      return path + " has no maxLength";
    }
    return null;
  }

  /** Rules with a comprehension inside another whose range ignores the outer item. */
  static List<String> quadratic(List<CelRule> rules) {
    List<String> found = new ArrayList<>();
    for (CelRule rule : rules) {
      nodes(rule.ast.getExpr())
          .filter(e -> e.getKind() == CelExpr.ExprKind.Kind.COMPREHENSION)
          .forEach(
              outer -> {
                CelExpr.CelComprehension loop = outer.comprehension();
                Stream.concat(nodes(loop.loopStep()), nodes(loop.loopCondition()))
                    .filter(e -> e.getKind() == CelExpr.ExprKind.Kind.COMPREHENSION)
                    .filter(inner -> !refersTo(inner.comprehension().iterRange(), loop.iterVar()))
                    .forEach(
                        inner ->
                            found.add(
                                rule.location
                                    + ": nested walk of "
                                    + text(inner.comprehension().iterRange())));
              });
    }
    return found.stream().distinct().toList();
  }

  private static Stream<CelExpr> nodes(CelExpr expr) {
    return CelNavigableExpr.fromExpr(expr).allNodes().map(n -> n.expr());
  }

  private static boolean refersTo(CelExpr expr, String variable) {
    return nodes(expr)
        .anyMatch(
            e -> e.getKind() == CelExpr.ExprKind.Kind.IDENT && e.ident().name().equals(variable));
  }

  /** A select chain such as self.migrations, for messages. */
  private static String text(CelExpr expr) {
    return switch (expr.getKind()) {
      case IDENT -> expr.ident().name();
      case SELECT -> text(expr.select().operand()) + "." + expr.select().field();
      default -> expr.toString();
    };
  }

  private static String join(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }
}
