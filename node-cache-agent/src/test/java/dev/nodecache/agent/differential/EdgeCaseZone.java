package dev.nodecache.agent.differential;

import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Type;

/**
 * The zones NSD serves in the differential run, made of edge cases (CNAME chains and loops, DNAME,
 * wildcards, empty non-terminals, RRsets that need TCP, long and odd names, many types), and the
 * questions asked about them.
 */
final class EdgeCaseZone {
  static final String ORIGIN = "example.test.";
  static final String OTHER = "other.test.";

  /** CNAME chain lengths: below, at and above both resolvers' limits. */
  static final int[] CHAINS = {3, 10, 11, 12, 16, 17, 20};

  /** One question: a name (relative to {@link #ORIGIN} unless it ends in a dot) and a type. */
  record Question(String name, int type) {
    String absolute() {
      return name.equals("@") ? ORIGIN : name.endsWith(".") ? name : name + "." + ORIGIN;
    }
  }

  private EdgeCaseZone() {}

  static String zone(String nsAddress) {
    List<String> z = new ArrayList<>();
    z.add("$ORIGIN " + ORIGIN);
    z.add("$TTL 300");
    z.add("@ IN SOA ns1 hostmaster 2024010101 3600 900 604800 60");
    z.add("@ IN NS ns1");
    z.add("@ IN MX 10 mail");
    z.add("@ IN TXT \"v=spf1 -all\"");
    z.add("@ IN CAA 0 issue \"ca.example\"");
    z.add("ns1 IN A " + nsAddress);
    z.add("mail IN A 192.0.2.25");
    z.add("www IN A 192.0.2.1");
    z.add("www IN AAAA 2001:db8::1");
    z.add("www IN TXT \"hello\" \"world\"");
    z.add("Mixed.Case IN A 192.0.2.2");
    for (int i = 10; i < 14; i++) {
      z.add("multi IN A 192.0.2." + i);
    }
    z.add("_sip._tcp IN SRV 10 60 5060 www");
    z.add("_443._tcp.www IN TLSA 3 1 1 " + "ab".repeat(32));
    z.add("_http._tcp IN URI 10 1 \"http://www.example.test/\"");
    z.add("hinfo IN HINFO \"cpu\" \"os\"");
    z.add("naptr IN NAPTR 100 10 \"u\" \"E2U+sip\" \"!^.*$!sip:info@example.test!\" .");
    z.add("sshfp IN SSHFP 1 1 " + "12".repeat(20));
    z.add("ptr IN PTR www");
    z.add("loc IN LOC 52 22 23.000 N 4 53 32.000 E -2.00m 0.00m 10000m 10m");
    z.add("rp IN RP hostmaster.example.test. www");
    z.add("https IN HTTPS 1 . alpn=h2");
    z.add("unknown IN TYPE65000 \\# 4 0a000001");
    // CNAMEs: chains, loops, a dangling one, one to NODATA, one into another zone.
    for (int n : CHAINS) {
      for (int i = 0; i < n; i++) {
        z.add("ch" + n + "-" + i + " IN CNAME ch" + n + "-" + (i + 1));
      }
      z.add("ch" + n + "-" + n + " IN A 192.0.2." + (100 + n));
    }
    z.add("loop-a IN CNAME loop-b");
    z.add("loop-b IN CNAME loop-c");
    z.add("loop-c IN CNAME loop-a");
    z.add("self IN CNAME self");
    z.add("dangling IN CNAME nothere");
    z.add("to-www IN CNAME www");
    z.add("outside IN CNAME www." + OTHER);
    // DNAME, and a CNAME into a DNAME'd tree.
    z.add("dname IN DNAME target");
    z.add("www.target IN A 192.0.2.80");
    z.add("via-dname IN CNAME www.dname");
    // Wildcards, with an existing name below the wildcard's parent and a wildcard CNAME.
    z.add("*.wild IN A 192.0.2.99");
    z.add("*.wild IN TXT \"wild\"");
    z.add("exists.wild IN AAAA 2001:db8::99");
    z.add("*.cwild IN CNAME www");
    // Empty non-terminals: b.ent and ent exist only as parents.
    z.add("a.b.ent IN A 192.0.2.5");
    // RRsets too large for 512, 1232 and 4096 bytes.
    for (int i = 0; i < 40; i++) {
      z.add("big IN TXT \"record " + i + " " + "x".repeat(50) + "\"");
    }
    for (int i = 0; i < 100; i++) {
      z.add("many IN A 198.51.100." + i);
    }
    for (int i = 0; i < 200; i++) {
      z.add("bigger IN TXT \"record " + i + " " + "y".repeat(60) + "\"");
    }
    // Long and odd names.
    z.add("a".repeat(63) + " IN A 192.0.2.63");
    z.add(longName() + " IN A 192.0.2.255");
    z.add("under_score IN A 192.0.2.6");
    z.add("with\\032space IN A 192.0.2.7");
    z.add("dot\\.inside IN A 192.0.2.8");
    z.add("\\000null IN A 192.0.2.9");
    z.add("high\\255byte IN A 192.0.2.10");
    z.add("xn--bcher-kva IN A 192.0.2.11");
    z.add("-dash IN A 192.0.2.12");
    return String.join("\n", z) + "\n";
  }

  static String otherZone(String nsAddress) {
    return String.join(
        "\n",
        "$ORIGIN " + OTHER,
        "$TTL 300",
        "@ IN SOA ns1." + ORIGIN + " hostmaster." + ORIGIN + " 1 3600 900 604800 60",
        "@ IN NS ns1." + ORIGIN,
        "www IN A 192.0.2.200",
        "");
  }

  /** Relative labels making the full name exactly 255 octets in wire form. */
  static String longName() {
    // example.test. takes 14 octets; three 60-octet labels (61 each) and one of 57 (58) fill it.
    return "b".repeat(60) + "." + "c".repeat(60) + "." + "d".repeat(60) + "." + "e".repeat(57);
  }

  static List<Question> questions() {
    List<Question> q = new ArrayList<>();
    List<String> names =
        new ArrayList<>(
            List.of(
                "@",
                "www",
                "WwW",
                "MiXeD.cAsE",
                "multi",
                "mail",
                "nothere",
                "deep.nothere",
                "to-www",
                "dangling",
                "outside",
                "loop-a",
                "self",
                "dname",
                "www.dname",
                "x.dname",
                "via-dname",
                "any.wild",
                "exists.wild",
                "x.exists.wild",
                "deep.down.wild",
                "wild",
                "z.cwild",
                "ent",
                "b.ent",
                "a.b.ent",
                "x.a.b.ent",
                "big",
                "many",
                "bigger",
                "a".repeat(63),
                longName(),
                "under_score",
                "with\\032space",
                "dot\\.inside",
                "\\000null",
                "high\\255byte",
                "xn--bcher-kva",
                "-dash",
                "www." + OTHER));
    for (int n : CHAINS) {
      names.add("ch" + n + "-0");
    }
    for (String name : names) {
      for (int type : new int[] {Type.A, Type.AAAA, Type.TXT, Type.CNAME}) {
        q.add(new Question(name, type));
      }
    }
    for (String[] special :
        new String[][] {
          {"@", "SOA"},
          {"@", "NS"},
          {"@", "MX"},
          {"@", "CAA"},
          {"_sip._tcp", "SRV"},
          {"_443._tcp.www", "TLSA"},
          {"_http._tcp", "URI"},
          {"hinfo", "HINFO"},
          {"naptr", "NAPTR"},
          {"sshfp", "SSHFP"},
          {"ptr", "PTR"},
          {"loc", "LOC"},
          {"rp", "RP"},
          {"https", "HTTPS"},
          {"unknown", "TYPE65000"},
          {"dname", "DNAME"},
          {"www.dname", "DNAME"},
          {"www", "MX"},
          {"to-www", "MX"},
          {"www", "DS"},
          {"ns1", "A"}
        }) {
      q.add(new Question(special[0], Type.value(special[1], true)));
    }
    // Meta and obsolete question types, the forwarded ones among them.
    for (int type :
        new int[] {
          0,
          Type.OPT,
          128,
          248,
          Type.TKEY,
          Type.TSIG,
          Type.IXFR,
          Type.AXFR,
          Type.MAILB,
          Type.MAILA,
          Type.ANY,
          Type.RRSIG,
          Type.NSEC
        }) {
      q.add(new Question("www", type));
      q.add(new Question("nothere", type));
    }
    // After the meta types: the other types of the same names are still answered.
    q.add(new Question("www", Type.A));
    q.add(new Question("www", Type.AAAA));
    q.add(new Question("nothere", Type.A));
    return q;
  }
}
