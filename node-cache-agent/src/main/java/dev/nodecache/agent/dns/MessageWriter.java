package dev.nodecache.agent.dns;

import java.util.Arrays;

/**
 * Writes the message we cache: a header, the question of a cache key, then records taken from an
 * upstream reply, answers first. Names are written expanded from the reply, then compressed against
 * the names already written (owner names, and names in the RDATA of RFC 1035's types), so a record
 * never points into a message it is no longer in. The message is built in a buffer its thread keeps
 * (one writer at a time per thread), so that a miss allocates only the message itself.
 */
public final class MessageWriter {
  /** A message larger than this cannot be sent, even over TCP. */
  private static final int MAX_MESSAGE = 65_535;

  /** Compression pointers are 14 bits. */
  private static final int MAX_POINTER = 0x3fff;

  /** The names that later names may point to; past this many, names are written in full. */
  private static final int MAX_TARGETS = 64;

  /** Large enough for nearly every message; a larger one grows a buffer of its own. */
  private static final ThreadLocal<byte[]> BUFFER = ThreadLocal.withInitial(() -> new byte[4096]);

  private byte[] out = BUFFER.get();
  private int at;
  private int[] targets = new int[16];
  private int targetCount;
  private int[] ttlOffsets = new int[8];
  private int records;
  private int answers;

  /** A header with {@code flags} (id 0, patched when served) and {@code key}'s question. */
  public MessageWriter(int flags, CacheKey key) {
    Arrays.fill(out, 0, DnsWire.HEADER, (byte) 0); // the previous message's header
    DnsWire.putU16(out, DnsWire.FLAGS, flags);
    DnsWire.putU16(out, DnsWire.QDCOUNT, 1);
    at = key.writeQuestion(out, DnsWire.HEADER); // at most 259 octets: fits
    for (int label = DnsWire.HEADER; out[label] != 0; label += 1 + out[label]) {
      remember(label);
    }
  }

  /** Appends record {@code r} of {@code reply} to the answer section, with {@code ttl}. */
  public void answer(WireReply reply, int r, long ttl) {
    if (records > answers) {
      throw new IllegalStateException("answers come before the authority section");
    }
    record(reply, r, ttl);
    answers++;
  }

  /** Appends record {@code r} of {@code reply} to the authority section, with {@code ttl}. */
  public void authority(WireReply reply, int r, long ttl) {
    record(reply, r, ttl);
  }

  /** The message, or null if it came out larger than any message can be. */
  public byte[] finish() {
    if (at > MAX_MESSAGE) {
      return null;
    }
    DnsWire.putU16(out, DnsWire.ANCOUNT, answers);
    DnsWire.putU16(out, DnsWire.NSCOUNT, records - answers);
    return Arrays.copyOf(out, at);
  }

  /** Where each record's TTL is in the message, in record order. */
  public int[] ttlOffsets() {
    return Arrays.copyOf(ttlOffsets, records);
  }

  private void record(WireReply reply, int r, long ttl) {
    byte[] w = reply.wire();
    int type = reply.type(r);
    int rdata = reply.rdata(r);
    int rdataEnd = rdata + reply.rdataLength(r);
    name(w, reply.owner(r), true);
    ensure(10);
    DnsWire.putU16(out, at, type);
    DnsWire.putU16(out, at + 2, reply.dnsClass(r));
    if (records == ttlOffsets.length) {
      ttlOffsets = Arrays.copyOf(ttlOffsets, records * 2);
    }
    ttlOffsets[records++] = at + 4;
    DnsWire.putU32(out, at + 4, Math.min(Integer.MAX_VALUE, ttl));
    int lengthAt = at + 8;
    at += 10;
    int from = rdata;
    boolean compress = RdataLayout.compressible(type);
    for (int field : RdataLayout.of(type)) {
      if (field == RdataLayout.NAME) {
        from = name(w, from, compress);
      } else {
        int n =
            field == RdataLayout.REST
                ? rdataEnd - from
                : field == RdataLayout.STRING ? 1 + (w[from] & 0xff) : field;
        ensure(n);
        System.arraycopy(w, from, out, at, n);
        at += n;
        from += n;
      }
    }
    DnsWire.putU16(out, lengthAt, at - lengthAt - 2);
  }

  /**
   * Writes the name at {@code w[from]}, its longest suffix already written replaced by a pointer
   * when {@code compress}; returns the offset just past the name in {@code w}. The name's own
   * labels become pointer targets only once it is whole: before, what follows them is not yet
   * written.
   */
  private int name(byte[] w, int from, boolean compress) {
    int end = WireNames.end(w, from);
    ensure(DnsWire.MAX_NAME); // expanded, a name is at most 255 octets
    int start = at;
    int label = WireNames.follow(w, from);
    while (w[label] != 0 && !(compress && pointToWritten(w, label))) {
      int len = w[label] & 0xff;
      System.arraycopy(w, label, out, at, 1 + len);
      at += 1 + len;
      label = WireNames.follow(w, label + 1 + len);
    }
    if (w[label] == 0) {
      out[at++] = 0;
    }
    for (int l = start; l < at && (out[l] & 0xc0) == 0 && out[l] != 0; l += 1 + out[l]) {
      remember(l);
    }
    return end;
  }

  /** Writes a pointer to a name already written that equals the one at {@code w[label]}, if any. */
  private boolean pointToWritten(byte[] w, int label) {
    for (int i = 0; i < targetCount; i++) {
      if (WireNames.equal(out, targets[i], w, label)) {
        DnsWire.putU16(out, at, 0xc000 | targets[i]);
        at += 2;
        return true;
      }
    }
    return false;
  }

  private void remember(int label) {
    if (targetCount == targets.length && targetCount < MAX_TARGETS) {
      targets = Arrays.copyOf(targets, MAX_TARGETS);
    }
    if (targetCount < targets.length && label <= MAX_POINTER) {
      targets[targetCount++] = label;
    }
  }

  private void ensure(int more) {
    if (at + more > out.length) {
      out = Arrays.copyOf(out, Math.max(out.length * 2, at + more));
    }
  }
}
