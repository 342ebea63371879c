package dev.nodecache.agent.cache;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DNAMERecord;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

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

  /** What is left of a reply; {@code soa} is non-null for a cacheable negative answer. */
  public record Scrubbed(
      int rcode,
      boolean authenticData,
      List<Record> answer,
      List<Record> authority,
      Chain chain,
      SOARecord soa) {
    public boolean answered() {
      return chain == Chain.ANSWERED;
    }

    /** A loop or a chain too long: not an answer to pass on, nor to cache as one. */
    public boolean brokenChain() {
      return chain == Chain.LOOP || chain == Chain.TOO_LONG;
    }
  }

  public static Scrubbed scrub(Message reply, Name qname, int qtype, boolean dnssec) {
    List<Record> records = reply.getSection(Section.ANSWER);
    List<Record> kept = new ArrayList<>();
    Set<Name> seen = new HashSet<>();
    Name current = qname;
    int cnames = 0;
    Chain chain;
    while (true) {
      if (!seen.add(current)) {
        chain = Chain.LOOP;
        break;
      }
      Name next = null;
      boolean answered = false;
      for (Record r : records) {
        int type = r.getType();
        if (type == Type.DNAME && current.subdomain(r.getName()) && !current.equals(r.getName())) {
          addOnce(kept, r);
        } else if (!r.getName().equals(current)) {
          continue;
        } else if (type == qtype || (qtype == Type.ANY && type != Type.RRSIG)) {
          kept.add(r);
          answered = true;
        } else if (type == Type.CNAME && qtype != Type.CNAME) {
          kept.add(r);
          next = ((CNAMERecord) r).getTarget();
        } else if (type == Type.RRSIG && dnssec && coversChain((RRSIGRecord) r, qtype)) {
          kept.add(r);
        }
      }
      if (answered) {
        chain = Chain.ANSWERED;
        break;
      }
      if (next == null) {
        chain = Chain.OPEN;
        break;
      }
      if (++cnames > MAX_CNAMES) {
        chain = Chain.TOO_LONG;
        break;
      }
      current = next;
    }
    for (Record r : records) {
      if (r.getType() == Type.RRSIG && dnssec && isDnameSig((RRSIGRecord) r, kept)) {
        addOnce(kept, r);
      }
    }
    int rcode = reply.getRcode();
    List<Record> authority = new ArrayList<>();
    SOARecord soa = null;
    boolean negative = rcode == Rcode.NXDOMAIN || (rcode == Rcode.NOERROR && chain == Chain.OPEN);
    if (negative) {
      for (Record r : reply.getSection(Section.AUTHORITY)) {
        int type = r.getType();
        if (type == Type.SOA && soa == null) {
          soa = (SOARecord) r;
          authority.add(r);
        } else if (dnssec
            && (type == Type.NSEC
                || type == Type.NSEC3
                || (type == Type.RRSIG && provesNegative((RRSIGRecord) r)))) {
          authority.add(r);
        }
      }
    }
    return new Scrubbed(rcode, reply.getHeader().getFlag(Flags.AD), kept, authority, chain, soa);
  }

  private static boolean coversChain(RRSIGRecord sig, int qtype) {
    int covered = sig.getTypeCovered();
    return covered == qtype || covered == Type.CNAME || qtype == Type.ANY;
  }

  private static boolean isDnameSig(RRSIGRecord sig, List<Record> kept) {
    if (sig.getTypeCovered() != Type.DNAME) {
      return false;
    }
    for (Record r : kept) {
      if (r instanceof DNAMERecord && r.getName().equals(sig.getName())) {
        return true;
      }
    }
    return false;
  }

  private static boolean provesNegative(RRSIGRecord sig) {
    int covered = sig.getTypeCovered();
    return covered == Type.SOA || covered == Type.NSEC || covered == Type.NSEC3;
  }

  private static void addOnce(List<Record> list, Record r) {
    if (!list.contains(r)) {
      list.add(r);
    }
  }
}
