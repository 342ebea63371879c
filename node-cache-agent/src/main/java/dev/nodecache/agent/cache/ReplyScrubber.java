package dev.nodecache.agent.cache;

import dev.nodecache.agent.dns.DnsWire;
import dev.nodecache.agent.dns.WireNames;
import dev.nodecache.agent.dns.WireReply;
import java.util.Arrays;

/**
 * Keeps only what answers the question: the answer chain from the question name through its CNAMEs
 * (and DNAMEs above them) to the records of the asked type, and for a negative answer the SOA of
 * the zone (with NSEC/NSEC3 proofs when DNSSEC records were asked for). Everything else is dropped:
 * records outside the chain are how cache poisoning gets in (RFC 5452 §6).
 */
public final class ReplyScrubber {
  /**
   * The most CNAMEs followed from the question name. BIND follows 16 (its old restart limit),
   * Unbound about 11. A longer chain is answered SERVFAIL rather than cut short, and so is a loop
   * (RFC 1034 §3.6.2: "CNAME chains should be followed and CNAME loops signalled as an error"). A
   * chain that ends before the data is the upstream's partial answer, passed on.
   */
  static final int MAX_CNAMES = 16;

  private ReplyScrubber() {}

  /** How the answer chain in a reply ends. */
  public enum Chain {
    /** At records of the asked type. */
    ANSWERED,
    /** At a name without records in the reply: NODATA, NXDOMAIN, or a partial chain. */
    OPEN,
    /** At a name already in the chain. */
    LOOP,
    /** Past {@link #MAX_CNAMES}, not followed further. */
    TOO_LONG
  }

  /**
   * What is left of a reply, as record numbers of the {@link WireReply}; {@code soa} is the SOA of
   * a cacheable negative answer, or -1.
   */
  public record Scrubbed(
      int rcode, boolean authenticData, int[] answer, int[] authority, Chain chain, int soa) {
    public boolean answered() {
      return chain == Chain.ANSWERED;
    }

    /** A loop or a chain too long: not an answer to pass on, nor to cache as one. */
    public boolean brokenChain() {
      return chain == Chain.LOOP || chain == Chain.TOO_LONG;
    }
  }

  /** Scrubs {@code reply} to the question {@code qname} (uncompressed wire form) and type. */
  public static Scrubbed scrub(WireReply reply, byte[] qname, int qtype, boolean dnssec) {
    byte[] w = reply.wire();
    int answers = reply.answerCount();
    boolean[] taken = new boolean[answers];
    int[] chainNames = new int[MAX_CNAMES + 1]; // the CNAME targets followed, by offset in w
    int followed = 0;
    byte[] current = qname;
    int currentAt = 0;
    Chain chain;
    while (true) {
      int next = -1;
      boolean answered = false;
      for (int r = 0; r < answers; r++) {
        int type = reply.type(r);
        int owner = reply.owner(r);
        if (type == DnsWire.TYPE_DNAME && WireNames.below(current, currentAt, w, owner)) {
          taken[r] = true;
        } else if (!WireNames.equal(w, owner, current, currentAt)) {
          continue;
        } else if (type == qtype || (qtype == DnsWire.TYPE_ANY && type != DnsWire.TYPE_RRSIG)) {
          taken[r] = true;
          answered = true;
        } else if (type == DnsWire.TYPE_CNAME && qtype != DnsWire.TYPE_CNAME) {
          taken[r] = true;
          next = reply.rdata(r);
        } else if (type == DnsWire.TYPE_RRSIG
            && dnssec
            && coversChain(reply.typeCovered(r), qtype)) {
          taken[r] = true;
        }
      }
      if (answered) {
        chain = Chain.ANSWERED;
        break;
      }
      if (next < 0) {
        chain = Chain.OPEN;
        break;
      }
      if (seen(w, next, qname, chainNames, followed)) {
        chain = Chain.LOOP;
        break;
      }
      if (followed == MAX_CNAMES) {
        chain = Chain.TOO_LONG;
        break;
      }
      chainNames[followed++] = next;
      current = w;
      currentAt = next;
    }
    if (dnssec) {
      for (int r = 0; r < answers; r++) {
        if (reply.type(r) == DnsWire.TYPE_RRSIG && signsTakenDname(reply, r, taken)) {
          taken[r] = true;
        }
      }
    }
    int rcode = reply.rcode();
    int[] authority = new int[reply.authorityCount()];
    int kept = 0;
    int soa = -1;
    boolean negative =
        rcode == DnsWire.RCODE_NXDOMAIN || (rcode == DnsWire.RCODE_NOERROR && chain == Chain.OPEN);
    for (int r = answers; negative && r < answers + authority.length; r++) {
      int type = reply.type(r);
      if (type == DnsWire.TYPE_SOA && soa < 0) {
        soa = r;
        authority[kept++] = r;
      } else if (dnssec
          && (type == DnsWire.TYPE_NSEC
              || type == DnsWire.TYPE_NSEC3
              || (type == DnsWire.TYPE_RRSIG && provesNegative(reply.typeCovered(r))))) {
        authority[kept++] = r;
      }
    }
    return new Scrubbed(
        rcode,
        reply.flag(DnsWire.FLAG_AD),
        indexes(taken),
        Arrays.copyOf(authority, kept),
        chain,
        soa);
  }

  /** Whether the name at {@code w[at]} is the question name or one of the targets followed. */
  private static boolean seen(byte[] w, int at, byte[] qname, int[] followed, int count) {
    if (WireNames.equal(w, at, qname, 0)) {
      return true;
    }
    for (int i = 0; i < count; i++) {
      if (WireNames.equal(w, at, w, followed[i])) {
        return true;
      }
    }
    return false;
  }

  private static boolean coversChain(int covered, int qtype) {
    return covered == qtype || covered == DnsWire.TYPE_CNAME || qtype == DnsWire.TYPE_ANY;
  }

  private static boolean signsTakenDname(WireReply reply, int sig, boolean[] taken) {
    if (reply.typeCovered(sig) != DnsWire.TYPE_DNAME) {
      return false;
    }
    byte[] w = reply.wire();
    for (int r = 0; r < taken.length; r++) {
      if (taken[r]
          && reply.type(r) == DnsWire.TYPE_DNAME
          && WireNames.equal(w, reply.owner(r), w, reply.owner(sig))) {
        return true;
      }
    }
    return false;
  }

  private static boolean provesNegative(int covered) {
    return covered == DnsWire.TYPE_SOA
        || covered == DnsWire.TYPE_NSEC
        || covered == DnsWire.TYPE_NSEC3;
  }

  private static int[] indexes(boolean[] taken) {
    int n = 0;
    for (boolean t : taken) {
      n += t ? 1 : 0;
    }
    int[] out = new int[n];
    for (int r = 0, i = 0; r < taken.length; r++) {
      if (taken[r]) {
        out[i++] = r;
      }
    }
    return out;
  }
}
