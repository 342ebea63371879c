package dev.nodecache.agent.dns;

import java.nio.charset.StandardCharsets;

/** Conversions between uncompressed wire-form names and the text form used in config. */
public final class DomainNames {
  private DomainNames() {}

  /** The name at {@code at} (uncompressed) as lower-case text without trailing dot. */
  public static String toText(byte[] wire, int at) {
    StringBuilder sb = new StringBuilder();
    int len;
    while ((len = wire[at] & 0xff) != 0) {
      if (sb.length() > 0) {
        sb.append('.');
      }
      for (int i = 1; i <= len; i++) {
        char c = (char) (DnsWire.lower(wire[at + i]) & 0xff);
        if (c == '.' || c == '\\') {
          sb.append('\\').append(c);
        } else if (c < 0x21 || c > 0x7e) {
          sb.append('\\').append(String.format("%03d", (int) c));
        } else {
          sb.append(c);
        }
      }
      at += 1 + len;
    }
    return sb.length() == 0 ? "." : sb.toString();
  }

  /** Lower-case wire form of a plain dotted name ("." or "" is the root). No escapes. */
  public static byte[] toWire(String text) {
    if (text.equals(".") || text.isEmpty()) {
      return new byte[] {0};
    }
    String t = text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
    byte[] ascii = t.getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[ascii.length + 2];
    int lenAt = 0;
    int o = 1;
    for (byte c : ascii) {
      if (c == '.') {
        out[lenAt] = (byte) (o - lenAt - 1);
        lenAt = o++;
      } else {
        out[o++] = DnsWire.lower(c);
      }
    }
    out[lenAt] = (byte) (o - lenAt - 1);
    out[o] = 0;
    return out;
  }

  /**
   * Whether {@code suffix} (wire form, lower case) is {@code name} itself or one of its ancestors,
   * compared on label boundaries; {@code name} is lower case too.
   */
  public static boolean endsWith(byte[] name, int nameLength, byte[] suffix) {
    int at = 0;
    while (nameLength - at >= suffix.length) {
      if (nameLength - at == suffix.length) {
        return java.util.Arrays.equals(name, at, nameLength, suffix, 0, suffix.length);
      }
      int len = name[at] & 0xff;
      if (len == 0) {
        return false;
      }
      at += 1 + len;
    }
    return false;
  }
}
