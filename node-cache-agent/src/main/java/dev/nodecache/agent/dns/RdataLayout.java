package dev.nodecache.agent.dns;

/**
 * The RDATA fields of the types whose RDATA holds domain names, which a receiver must expand (RFC
 * 3597 §4), and of the address types, whose length is fixed. Any other type's RDATA is opaque:
 * passed on as it came.
 */
public final class RdataLayout {
  /** A domain name. */
  static final int NAME = -1;

  /** A character-string: a length octet and that many octets. */
  static final int STRING = -2;

  /** Whatever is left, opaque. */
  static final int REST = -3;

  private static final int[] OPAQUE = {REST};
  private static final int[] ONE_NAME = {NAME};
  private static final int[] TWO_NAMES = {NAME, NAME};
  private static final int[] PREFERENCE_NAME = {2, NAME};
  private static final int[] SIGNATURE = {18, NAME, REST};
  private static final int[] NAME_THEN_BITS = {NAME, REST};
  private static final int[] IPV4 = {4};
  private static final int[] IPV6 = {16};
  private static final int[] SOA = {NAME, NAME, 20};
  private static final int[] PX = {2, NAME, NAME};
  private static final int[] SRV = {6, NAME};
  private static final int[] NAPTR = {4, STRING, STRING, STRING, NAME};

  private RdataLayout() {}

  /** The fields of {@code type}'s RDATA in order: a positive number is that many octets. */
  static int[] of(int type) {
    return switch (type) {
      case DnsWire.TYPE_A -> IPV4;
      case DnsWire.TYPE_AAAA -> IPV6;
      case 2, 3, 4, 5, 7, 8, 9, 12, 39 -> ONE_NAME; // NS MD MF CNAME MB MG MR PTR DNAME
      case 6 -> SOA; // SOA
      case 14, 17 -> TWO_NAMES; // MINFO RP
      case 15, 18, 21, 36 -> PREFERENCE_NAME; // MX AFSDB RT KX
      case 26 -> PX; // PX
      case 33 -> SRV; // SRV
      case 35 -> NAPTR; // NAPTR
      case 24, 46 -> SIGNATURE; // SIG RRSIG
      case 30, 47 -> NAME_THEN_BITS; // NXT NSEC
      default -> OPAQUE;
    };
  }

  /**
   * Whether names in {@code type}'s RDATA may be compressed when we write them: only the types of
   * RFC 1035 (RFC 3597 §4); others' names are written in full.
   */
  static boolean compressible(int type) {
    return switch (type) {
      case 2, 3, 4, 5, 6, 7, 8, 9, 12, 14, 15 -> true;
      default -> false;
    };
  }

  /** Whether the RDATA in {@code w[start, end)} has exactly the fields its type says. */
  static boolean fits(byte[] w, int type, int start, int end) {
    int at = start;
    for (int field : of(type)) {
      if (field == REST) {
        return true;
      } else if (field == NAME) {
        at = WireNames.end(w, at); // read past end is caught below, past the message here
        if (at < 0) {
          return false;
        }
      } else if (field == STRING) {
        if (at >= end) {
          return false;
        }
        at += 1 + (w[at] & 0xff);
      } else {
        at += field;
      }
      if (at > end) {
        return false;
      }
    }
    return at == end;
  }
}
