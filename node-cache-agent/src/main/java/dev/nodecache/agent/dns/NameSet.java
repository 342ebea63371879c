package dev.nodecache.agent.dns;

import java.util.ArrayList;
import java.util.List;

/**
 * Names as a flush or a migration lists them: {@code a.example.com} is that name only, {@code
 * *.shop.example.com} is the whole subtree, the name itself included.
 */
public final class NameSet {
  private final List<byte[]> exact = new ArrayList<>();
  private final List<byte[]> subtrees = new ArrayList<>();
  private final List<String> texts;

  public NameSet(List<String> names) {
    this.texts = List.copyOf(names);
    for (String n : names) {
      if (n.startsWith("*.")) {
        subtrees.add(DomainNames.toWire(n.substring(2)));
      } else {
        exact.add(DomainNames.toWire(n));
      }
    }
  }

  public boolean isEmpty() {
    return texts.isEmpty();
  }

  public List<String> texts() {
    return texts;
  }

  /** Whether the lower-case wire name {@code name[0, length)} is in the set. */
  public boolean contains(byte[] name, int length) {
    for (byte[] e : exact) {
      if (e.length == length && java.util.Arrays.equals(e, 0, length, name, 0, length)) {
        return true;
      }
    }
    for (byte[] s : subtrees) {
      if (DomainNames.endsWith(name, length, s)) {
        return true;
      }
    }
    return false;
  }

  public boolean contains(CacheKey key) {
    return key.nameMatches(this);
  }

  /** The names without the "*." of subtrees, e.g. to find the zone they belong to. */
  public List<String> baseNames() {
    List<String> out = new ArrayList<>();
    for (String t : texts) {
      out.add(t.startsWith("*.") ? t.substring(2) : t);
    }
    return out;
  }
}
