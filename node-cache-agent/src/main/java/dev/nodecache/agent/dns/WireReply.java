package dev.nodecache.agent.dns;

/**
 * An upstream reply read in place: the header, the question, and where each record's owner name and
 * fields sit in the received bytes; nothing is copied or decompressed. Reading checks the whole
 * message as far as the cache relies on it: every name well formed (compression pointers only
 * backwards, at most 255 octets), every record within the message, and the RDATA of the types whose
 * layout we read or rewrite (addresses, names, SOA, RRSIG) exactly as long as its fields. What is
 * not read is passed on as it came (RFC 3597).
 */
public final class WireReply {
  private final byte[] wire;
  private final int answers;
  private final int authorities;
  private final int[] owners; // offset of each record's owner name
  private final int[] fields; // offset of each record's TYPE; CLASS, TTL, RDLENGTH, RDATA follow
  private final int rcode;

  private WireReply(byte[] wire, int answers, int authorities, int[] owners, int[] fields) {
    this.wire = wire;
    this.answers = answers;
    this.authorities = authorities;
    this.owners = owners;
    this.fields = fields;
    this.rcode = extendedRcode();
  }

  /**
   * The reply in {@code wire}, or null when it is not a well-formed message with one question (a
   * truncated one need only be well formed up to its question).
   */
  public static WireReply read(byte[] wire) {
    if (wire.length < DnsWire.HEADER || DnsWire.u16(wire, DnsWire.QDCOUNT) != 1) {
      return null;
    }
    int at = WireNames.end(wire, DnsWire.HEADER);
    if (at < 0 || at + 4 > wire.length) {
      return null;
    }
    at += 4;
    int an = DnsWire.u16(wire, DnsWire.ANCOUNT);
    int ns = DnsWire.u16(wire, DnsWire.NSCOUNT);
    int records = an + ns + DnsWire.u16(wire, DnsWire.ARCOUNT);
    if (records > (wire.length - at) / 11) { // each record takes at least 11 octets
      return truncatedOrNull(wire);
    }
    int[] owners = new int[records];
    int[] fields = new int[records];
    for (int r = 0; r < records; r++) {
      owners[r] = at;
      at = WireNames.end(wire, at);
      if (at < 0 || at + 10 > wire.length) {
        return truncatedOrNull(wire);
      }
      fields[r] = at;
      int rdata = at + 10;
      at = rdata + DnsWire.u16(wire, at + 8);
      if (at > wire.length || !RdataLayout.fits(wire, DnsWire.u16(wire, fields[r]), rdata, at)) {
        return truncatedOrNull(wire);
      }
    }
    return new WireReply(wire, an, ns, owners, fields);
  }

  /**
   * A truncated reply (TC) may be cut anywhere after its question, whatever its counts say: it is
   * read without records, since all it can be used for is its TC bit (a retry over TCP).
   */
  private static WireReply truncatedOrNull(byte[] wire) {
    boolean truncated = (DnsWire.u16(wire, DnsWire.FLAGS) & DnsWire.FLAG_TC) != 0;
    return truncated ? new WireReply(wire, 0, 0, new int[0], new int[0]) : null;
  }

  public byte[] wire() {
    return wire;
  }

  public boolean flag(int flag) {
    return (DnsWire.u16(wire, DnsWire.FLAGS) & flag) != 0;
  }

  /** The rcode, extended by the OPT record's upper bits (RFC 6891 §6.1.3). */
  public int rcode() {
    return rcode;
  }

  public int answerCount() {
    return answers;
  }

  /** Records {@code [answerCount, answerCount + authorityCount)} are the authority section. */
  public int authorityCount() {
    return authorities;
  }

  public int owner(int record) {
    return owners[record];
  }

  public int type(int record) {
    return DnsWire.u16(wire, fields[record]);
  }

  public int dnsClass(int record) {
    return DnsWire.u16(wire, fields[record] + 2);
  }

  public long ttl(int record) {
    return DnsWire.u32(wire, fields[record] + 4);
  }

  public int rdata(int record) {
    return fields[record] + 10;
  }

  public int rdataLength(int record) {
    return DnsWire.u16(wire, fields[record] + 8);
  }

  /** The type an RRSIG covers (RFC 4034 §3.1.1). */
  public int typeCovered(int record) {
    return DnsWire.u16(wire, rdata(record));
  }

  /** The MINIMUM field of an SOA, its RDATA's last four octets (RFC 1035 §3.3.13). */
  public long soaMinimum(int record) {
    return DnsWire.u32(wire, rdata(record) + rdataLength(record) - 4);
  }

  private int extendedRcode() {
    int low = DnsWire.u16(wire, DnsWire.FLAGS) & 0xf;
    for (int r = answers + authorities; r < owners.length; r++) {
      if (type(r) == DnsWire.TYPE_OPT) {
        return (wire[fields[r] + 4] & 0xff) << 4 | low;
      }
    }
    return low;
  }
}
