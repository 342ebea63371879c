package dev.nodecache.kubectl;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nodecache.agent.config.AgentConfig;
import dev.nodecache.agent.resolve.CacheRulesByZone;
import dev.nodecache.agent.resolve.MigrationCaps;
import dev.nodecache.api.DnsCachePolicy;
import dev.nodecache.api.DnsCachePolicyStatus.MigrationStatus;
import dev.nodecache.api.Migration;
import dev.nodecache.api.UpstreamGroup;
import dev.nodecache.operator.render.AgentConfigRenderer;
import dev.nodecache.operator.render.PolicyValidator;
import dev.nodecache.operator.render.ServiceRefs;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code migrate plan POLICY --names … --cutover TIME}: the playbook's timeline (SPEC §4) computed
 * as the operator and the agents will compute it, from the policy's own cache rules, before
 * anything is applied. {@code migrate status [POLICY] [--watch]}: the migrations as the operator
 * reports them, followed until they are done.
 */
final class MigrateCommand {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Cluster cluster;
  private final Console console;

  MigrateCommand(Cluster cluster, Console console) {
    this.cluster = cluster;
    this.console = console;
  }

  int run(Args args) throws InterruptedException {
    String sub = args.word(1);
    if ("plan".equals(sub)) {
      return plan(args);
    }
    if ("status".equals(sub)) {
      return status(args);
    }
    throw new UserError(
        (sub == null ? "migrate needs a subcommand" : "unknown migrate subcommand " + sub)
            + ": kubectl nodecache migrate plan POLICY --names … --cutover TIME, or migrate"
            + " status [POLICY] [--watch]");
  }

  /** The plan of one migration on a policy. */
  record Plan(
      String policy,
      Migration migration,
      Map<String, Duration> maxTtlByName,
      Duration drainLead,
      Instant drainStartsAt,
      Instant cutoverAt,
      Instant capLiftedAt,
      long capSeconds) {}

  private int plan(Args args) {
    List<String> names = FlushCommand.names(args.flag("--names"));
    if (names.isEmpty()) {
      throw new UserError("--names is required: the names that move, e.g. --names api.example.com");
    }
    String cutoverText = args.flag("--cutover");
    if (cutoverText == null) {
      throw new UserError("--cutover is required: an RFC 3339 time or +DURATION (e.g. +2h)");
    }
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Instant cutover = cutover(cutoverText, now);
    DnsCachePolicy policy = cluster.policy(args.word(2));
    Migration m = new Migration();
    m.name =
        args.flag("--name", "move-" + cutover.toString().replaceAll("[^0-9]", "").substring(0, 12));
    m.names = names;
    m.cutoverAt = cutover.toString();
    m.ttlDuringMigration = args.flag("--ttl", "30s");
    m.drainLead = args.flag("--drain-lead", "auto");
    Plan p = plan(policy, m);
    if (args.json()) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("policy", p.policy());
      o.put("migration", p.migration());
      Map<String, String> ttls = new LinkedHashMap<>();
      p.maxTtlByName().forEach((k, v) -> ttls.put(k, v.toSeconds() + "s"));
      o.put("effectiveMaxTtl", ttls);
      o.put("drainLeadSeconds", p.drainLead().toSeconds());
      o.put("drainStartsAt", p.drainStartsAt().toString());
      o.put("cutoverAt", p.cutoverAt().toString());
      o.put("capLiftedAt", p.capLiftedAt().toString());
      o.put("ttlDuringMigrationSeconds", p.capSeconds());
      o.put("drainStartsInPast", p.drainStartsAt().isBefore(now));
      console.json(o);
      return 0;
    }
    print(p, policy, now);
    return 0;
  }

  /** RFC 3339, or {@code +2h} from now. */
  static Instant cutover(String text, Instant now) {
    if (text.startsWith("+")) {
      return now.plus(Args.parseDuration("--cutover", text.substring(1)));
    }
    try {
      return java.time.OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw new UserError(
          "--cutover " + text + ": use an RFC 3339 time (2026-12-01T10:00:00Z) or +DURATION (+2h)");
    }
  }

  /**
   * The window the agents will apply: the policy with this migration added, rendered and parsed as
   * the operator does (so a name the agents would refuse is refused here), then the agents' own
   * arithmetic.
   */
  static Plan plan(DnsCachePolicy policy, Migration m) {
    DnsCachePolicy copy = JSON.convertValue(JSON.valueToTree(policy), DnsCachePolicy.class);
    List<Migration> migrations = new ArrayList<>();
    if (copy.getSpec().migrations != null) {
      copy.getSpec().migrations.stream()
          .filter(x -> !Objects.equals(x.name, m.name))
          .forEach(migrations::add);
    }
    migrations.add(m);
    copy.getSpec().migrations = migrations;
    Map<String, String> ips = new HashMap<>();
    for (UpstreamGroup g : copy.getSpec().upstreams) {
      if (g.serviceRef != null) {
        ips.put(AgentConfigRenderer.key(g.serviceRef), "192.0.2.53"); // the plan needs no address
      }
    }
    PolicyValidator.Result r = PolicyValidator.validate(copy, new ServiceRefs.Resolved(ips, ""));
    if (!r.valid()) {
      throw new UserError("this migration would be refused: " + r.message());
    }
    CacheRulesByZone rules = new CacheRulesByZone(r.parsed().cache());
    AgentConfig.Migration parsed =
        r.parsed().migrations().stream()
            .filter(x -> x.name().equals(m.name))
            .findFirst()
            .orElseThrow();
    MigrationCaps.Window w = MigrationCaps.window(parsed, rules);
    Map<String, Duration> ttls = new LinkedHashMap<>();
    for (String n : m.names) {
      ttls.put(n, rules.rulesFor(n.startsWith("*.") ? n.substring(2) : n).maxTtl());
    }
    return new Plan(
        policy.getMetadata().getName(),
        m,
        ttls,
        Duration.between(w.from(), parsed.cutoverAt()),
        w.from(),
        parsed.cutoverAt(),
        w.until(),
        w.capSeconds());
  }

  private void print(Plan p, DnsCachePolicy policy, Instant now) {
    console.out.println(
        "migration "
            + p.migration().name
            + " on policy "
            + p.policy()
            + ": "
            + String.join(", ", p.migration().names));
    List<List<String>> ttlRows = new ArrayList<>();
    ttlRows.add(List.of("  NAME", "EFFECTIVE MAX TTL"));
    p.maxTtlByName().forEach((n, d) -> ttlRows.add(List.of("  " + n, human(d))));
    Console.table(ttlRows).forEach(console.out::println);
    boolean auto = "auto".equals(p.migration().drainLead);
    List<List<String>> rows = new ArrayList<>();
    rows.add(
        List.of(
            "  drain starts",
            p.drainStartsAt().toString(),
            relative(p.drainStartsAt(), now),
            "cutover − "
                + human(p.drainLead())
                + (auto ? " (the longest effective max TTL + 20%)" : " (drainLead)")));
    rows.add(
        List.of(
            "  cutover",
            p.cutoverAt().toString(),
            relative(p.cutoverAt(), now),
            "one coordinated flush of the names on every node"));
    rows.add(
        List.of(
            "  cap lifted",
            p.capLiftedAt().toString(),
            relative(p.capLiftedAt(), now),
            "cutover + " + human(Duration.ofSeconds(p.capSeconds())) + " (ttlDuringMigration)"));
    Console.table(rows).forEach(console.out::println);
    console.out.println(
        "  while draining, answers for these names carry a TTL of at most "
            + human(Duration.ofSeconds(p.capSeconds())));
    if (p.drainStartsAt().isBefore(now)) {
      console.out.println(
          "warning: the drain would have started "
              + human(Duration.between(p.drainStartsAt(), now))
              + " ago: clients may hold answers past the cutover; the earliest safe cutover is "
              + now.plus(p.drainLead()));
    }
    List<Migration> all = new ArrayList<>();
    if (policy.getSpec().migrations != null) {
      policy.getSpec().migrations.stream()
          .filter(x -> !Objects.equals(x.name, p.migration().name))
          .forEach(all::add);
    }
    all.add(p.migration());
    ObjectNode patch = JSON.createObjectNode();
    patch.putObject("spec").set("migrations", JSON.valueToTree(all));
    console.out.println("to apply it:");
    console.out.println(
        "  kubectl patch dcp " + p.policy() + " --type=merge -p '" + patch.toString() + "'");
  }

  private int status(Args args) throws InterruptedException {
    DnsCachePolicy policy = cluster.policy(args.word(2));
    boolean watch = args.on("--watch");
    Duration interval = args.duration("--interval", Duration.ofSeconds(2));
    Duration timeout = args.duration("--timeout", null);
    long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
    String shown = null;
    while (true) {
      policy = cluster.reread(policy);
      List<Map<String, Object>> rows = migrations(policy);
      if (args.json()) {
        if (!watch || !rows.toString().equals(shown)) {
          console.json(Map.of("policy", policy.getMetadata().getName(), "migrations", rows));
        }
      } else {
        String table = String.join("\n", table(rows));
        if (!table.equals(shown)) {
          if (watch && console.terminal() && shown != null) {
            console.out.print("\033[" + shown.split("\n").length + "A\033[J");
          }
          console.out.println(table);
          shown = table;
        }
      }
      shown = args.json() ? rows.toString() : shown;
      if (!watch) {
        return 0;
      }
      if (rows.stream().allMatch(r -> "Completed".equals(r.get("phase")) && allNew(r))) {
        return 0;
      }
      if (System.nanoTime() - deadline >= 0) {
        console.err.println("timed out; the migrations are not all completed");
        return FlushCommand.TIMED_OUT;
      }
      Thread.sleep(interval.toMillis());
    }
  }

  private static boolean allNew(Map<String, Object> row) {
    Object s = row.get("nodesServingNew");
    if (!(s instanceof String kn) || !kn.contains("/")) {
      return false;
    }
    String[] p = kn.split("/");
    return p[0].equals(p[1]);
  }

  /** Every migration of the spec, with what the operator reports for it (nothing yet: Pending). */
  private static List<Map<String, Object>> migrations(DnsCachePolicy p) {
    List<Map<String, Object>> out = new ArrayList<>();
    List<MigrationStatus> reported =
        p.getStatus() == null || p.getStatus().migrations == null
            ? List.of()
            : p.getStatus().migrations;
    List<Migration> spec = p.getSpec().migrations == null ? List.of() : p.getSpec().migrations;
    for (Migration m : spec) {
      MigrationStatus s =
          reported.stream().filter(x -> m.name.equals(x.name)).findFirst().orElse(null);
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("name", m.name);
      r.put("names", m.names);
      r.put("phase", s == null ? "Pending" : s.phase);
      r.put("drainStartsAt", s == null ? null : s.drainStartsAt);
      r.put("cutoverAt", m.cutoverAt);
      r.put("flushedAt", s == null ? null : s.flushedAt);
      r.put("nodesServingNew", s == null ? null : s.nodesServingNew);
      out.add(r);
    }
    return out;
  }

  private static List<String> table(List<Map<String, Object>> migrations) {
    if (migrations.isEmpty()) {
      return List.of("no migrations in this policy (plan one: kubectl nodecache migrate plan)");
    }
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("NAME", "PHASE", "DRAIN STARTS", "CUTOVER", "FLUSHED", "SERVING NEW"));
    for (Map<String, Object> m : migrations) {
      rows.add(
          List.of(
              String.valueOf(m.get("name")),
              String.valueOf(m.get("phase")),
              dash(m.get("drainStartsAt")),
              dash(m.get("cutoverAt")),
              dash(m.get("flushedAt")),
              dash(m.get("nodesServingNew"))));
    }
    return Console.table(rows);
  }

  private static String dash(Object o) {
    return o == null ? "-" : o.toString();
  }

  /** 1h12m, 30s, 2m30s. */
  static String human(Duration d) {
    long s = d.toSeconds();
    if (s == 0) {
      return "0s";
    }
    StringBuilder b = new StringBuilder();
    if (s >= 3600) {
      b.append(s / 3600).append('h');
    }
    if (s % 3600 >= 60) {
      b.append(s % 3600 / 60).append('m');
    }
    if (s % 60 > 0) {
      b.append(s % 60).append('s');
    }
    return b.toString();
  }

  private static String relative(Instant t, Instant now) {
    Duration d = Duration.between(now, t);
    return d.isNegative() ? human(d.negated()) + " ago" : "in " + human(d);
  }
}
