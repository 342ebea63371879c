package dev.nodecache.agent.dns;

/** DNS wire-format constants and primitives on byte arrays (RFC 1035 §4). */
public final class DnsWire {
  public static final int HEADER = 12;
  public static final int MAX_NAME = 255;

  public static final int FLAG_QR = 0x8000;
  public static final int FLAG_AA = 0x0400;
  public static final int FLAG_TC = 0x0200;
  public static final int FLAG_RD = 0x0100;
  public static final int FLAG_RA = 0x0080;
  public static final int FLAG_AD = 0x0020;
  public static final int FLAG_CD = 0x0010;

  public static final int RCODE_NOERROR = 0;
  public static final int RCODE_FORMERR = 1;
  public static final int RCODE_SERVFAIL = 2;
  public static final int RCODE_NXDOMAIN = 3;
  public static final int RCODE_NOTIMP = 4;
  public static final int RCODE_REFUSED = 5;

  /** Extended rcode 16 = BADVERS: upper 8 bits go into the OPT TTL, lower 4 in the header. */
  public static final int RCODE_BADVERS = 16;

  public static final int TYPE_A = 1;
  public static final int TYPE_CNAME = 5;
  public static final int TYPE_SOA = 6;
  public static final int TYPE_AAAA = 28;
  public static final int TYPE_DNAME = 39;
  public static final int TYPE_OPT = 41;
  public static final int TYPE_RRSIG = 46;
  public static final int TYPE_NSEC = 47;
  public static final int TYPE_NSEC3 = 50;
  public static final int TYPE_ANY = 255;
  public static final int EDNS_DO = 0x8000;

  /** The EDNS UDP size we advertise and use upstream (DNS flag day 2020). */
  public static final int EDNS_UDP_SIZE = 1232;

  public static final int EDE_OPTION = 15;
  public static final int EDE_STALE_ANSWER = 3;

  /** Offsets of header fields. */
  public static final int ID = 0;

  public static final int FLAGS = 2;
  public static final int QDCOUNT = 4;
  public static final int ANCOUNT = 6;
  public static final int NSCOUNT = 8;
  public static final int ARCOUNT = 10;

  private DnsWire() {}

  public static int u16(byte[] b, int at) {
    return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
  }

  public static long u32(byte[] b, int at) {
    return ((long) u16(b, at) << 16) | u16(b, at + 2);
  }

  public static void putU16(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 8);
    b[at + 1] = (byte) v;
  }

  public static void putU32(byte[] b, int at, long v) {
    putU16(b, at, (int) (v >>> 16));
    putU16(b, at + 2, (int) v);
  }

  /**
   * The offset just past the (possibly compressed) name at {@code at}, or -1 if it runs past {@code
   * end} or has a label type that does not exist.
   */
  public static int skipName(byte[] b, int at, int end) {
    while (at < end) {
      int len = b[at] & 0xff;
      if (len == 0) {
        return at + 1;
      }
      if ((len & 0xc0) == 0xc0) {
        return at + 2 <= end ? at + 2 : -1;
      }
      if ((len & 0xc0) != 0) {
        return -1;
      }
      at += 1 + len;
    }
    return -1;
  }

  /** ASCII lower case; label length bytes (at most 63) are never in 'A'..'Z'. */
  public static byte lower(byte c) {
    return c >= 'A' && c <= 'Z' ? (byte) (c + 32) : c;
  }
}
