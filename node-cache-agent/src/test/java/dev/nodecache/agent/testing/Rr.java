package dev.nodecache.agent.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** Records from zone-file lines: {@code rr("a.example. 300 IN A 192.0.2.1")}. */
public final class Rr {
  private Rr() {}

  public static Record rr(String line) {
    String[] t = line.trim().split("\\s+", 5);
    try {
      return Record.fromString(
          Name.fromString(t[0], Name.root),
          Type.value(t[3]),
          DClass.value(t[2]),
          Long.parseLong(t[1]),
          t[4],
          Name.root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Name name(String text) {
    try {
      return Name.fromString(text, Name.root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
