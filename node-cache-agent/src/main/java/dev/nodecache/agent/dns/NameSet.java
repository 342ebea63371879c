package dev.nodecache.agent.dns;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Names as a flush or a migration lists them: {@code a.example.com} is that name only, {@code
 * *.shop.example.com} is the whole subtree, the name itself included.
 */
public final class NameSet {
  /**
   * Up to this many names a lookup compares them one by one (migrations, on the hot path, allocate
   * nothing); past it, an invalidation batch of a thousand names, a lookup hashes the name and each
   * of its parents instead of comparing every name.
   */
  private static final int LINEAR_UP_TO = 16;

  private final List<byte[]> exact = new ArrayList<>();
  private final List<byte[]> subtrees = new ArrayList<>();
  private final Set<ByteBuffer> exactHashed;
  private final Set<ByteBuffer> subtreesHashed;
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
    boolean hashed = names.size() > LINEAR_UP_TO;
    exactHashed = hashed ? wrapped(exact) : null;
    subtreesHashed = hashed ? wrapped(subtrees) : null;
  }

  private static Set<ByteBuffer> wrapped(List<byte[]> names) {
    Set<ByteBuffer> out = new HashSet<>(names.size() * 2);
    names.forEach(n -> out.add(ByteBuffer.wrap(n)));
    return out;
  }

  public boolean isEmpty() {
    return texts.isEmpty();
  }

  public List<String> texts() {
    return texts;
  }

  /** Whether the lower-case wire name {@code name[0, length)} is in the set. */
  public boolean contains(byte[] name, int length) {
    if (exactHashed != null) {
      return containsHashed(name, length);
    }
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

  private boolean containsHashed(byte[] name, int length) {
    if (exactHashed.contains(ByteBuffer.wrap(name, 0, length))) {
      return true;
    }
    for (int at = 0; at < length; at += (name[at] & 0xff) + 1) {
      if (subtreesHashed.contains(ByteBuffer.wrap(name, at, length - at))) {
        return true;
      }
      if (name[at] == 0) {
        break;
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
