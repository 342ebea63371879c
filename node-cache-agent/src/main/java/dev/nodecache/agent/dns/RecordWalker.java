package dev.nodecache.agent.dns;

import java.util.Arrays;

/** Finds where each resource record's TTL sits in a well-formed message, to patch it later. */
public final class RecordWalker {
  private RecordWalker() {}

  /**
   * The offsets of the TTL field of every record in the answer, authority and additional sections
   * of {@code wire}. The message must be well formed (we built it).
   */
  public static int[] ttlOffsets(byte[] wire) {
    int records =
        DnsWire.u16(wire, DnsWire.ANCOUNT)
            + DnsWire.u16(wire, DnsWire.NSCOUNT)
            + DnsWire.u16(wire, DnsWire.ARCOUNT);
    int[] offsets = new int[records];
    int at = DnsWire.HEADER;
    for (int q = DnsWire.u16(wire, DnsWire.QDCOUNT); q > 0; q--) {
      at = DnsWire.skipName(wire, at, wire.length) + 4;
    }
    int n = 0;
    for (int r = 0; r < records; r++) {
      at = DnsWire.skipName(wire, at, wire.length);
      if (at < 0 || at + 10 > wire.length) {
        throw new IllegalArgumentException("malformed record " + r);
      }
      if (DnsWire.u16(wire, at) != DnsWire.TYPE_OPT) {
        offsets[n++] = at + 4;
      }
      at += 10 + DnsWire.u16(wire, at + 8);
    }
    return n == records ? offsets : Arrays.copyOf(offsets, n);
  }
}
