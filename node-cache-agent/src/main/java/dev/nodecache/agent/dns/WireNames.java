package dev.nodecache.agent.dns;

/**
 * Domain names where they sit in a message, compression pointers and all (RFC 1035 §4.1.4): their
 * end, their labels, and comparisons without expanding them. Except {@link #end}, every method
 * takes names that {@link #end} has accepted.
 */
public final class WireNames {
  private WireNames() {}

  /**
   * The offset just past the name at {@code at} in the message (past its first pointer, if it has
   * one), or -1 if the name runs past the message, has a label type that does not exist, a pointer
   * that does not point backwards, or more than 255 octets expanded. Pointers only backwards make
   * every name end: a loop would have to come back to a pointer by reading forwards, through labels
   * that count against the 255.
   */
  public static int end(byte[] w, int at) {
    int end = -1;
    int length = 0;
    int p = at;
    while (p < w.length) {
      int len = w[p] & 0xff;
      if ((len & 0xc0) == 0xc0) {
        if (p + 1 >= w.length) {
          return -1;
        }
        int target = pointer(w, p);
        if (target >= p) {
          return -1;
        }
        if (end < 0) {
          end = p + 2;
        }
        p = target;
      } else if ((len & 0xc0) != 0) {
        return -1;
      } else {
        length += 1 + len;
        if (length > DnsWire.MAX_NAME) {
          return -1;
        }
        if (len == 0) {
          return end < 0 ? p + 1 : end;
        }
        p += 1 + len;
      }
    }
    return -1;
  }

  /** Where the label at {@code at} really is: itself, or where its pointers lead. */
  static int follow(byte[] w, int at) {
    while ((w[at] & 0xc0) == 0xc0) {
      at = pointer(w, at);
    }
    return at;
  }

  /** Whether two names are the same, case-insensitively (RFC 4343); they may be in two messages. */
  public static boolean equal(byte[] a, int at, byte[] b, int bt) {
    while (true) {
      at = follow(a, at);
      bt = follow(b, bt);
      if (a == b && at == bt) {
        return true;
      }
      int len = a[at] & 0xff;
      if (len != (b[bt] & 0xff)) {
        return false;
      }
      for (int i = 1; i <= len; i++) {
        if (DnsWire.lower(a[at + i]) != DnsWire.lower(b[bt + i])) {
          return false;
        }
      }
      if (len == 0) {
        return true;
      }
      at += 1 + len;
      bt += 1 + len;
    }
  }

  /** The number of labels, the root not counted. */
  public static int labels(byte[] w, int at) {
    int n = 0;
    for (at = follow(w, at); w[at] != 0; at = follow(w, at + 1 + (w[at] & 0xff))) {
      n++;
    }
    return n;
  }

  /** Whether the name {@code c[child]} is below {@code p[parent]}, not the same name. */
  public static boolean below(byte[] c, int child, byte[] p, int parent) {
    int extra = labels(c, child) - labels(p, parent);
    if (extra <= 0) {
      return false;
    }
    for (child = follow(c, child); extra > 0; extra--) {
      child = follow(c, child + 1 + (c[child] & 0xff));
    }
    return equal(c, child, p, parent);
  }

  private static int pointer(byte[] w, int at) {
    return (w[at] & 0x3f) << 8 | (w[at + 1] & 0xff);
  }
}
