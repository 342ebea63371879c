package dev.nodecache.agent.dns;

import java.util.Arrays;

/**
 * What an answer is cached under: the lower-cased question name in wire form, type, class, and the
 * DO and CD bits (an answer with DNSSEC records or unvalidated data is a different answer). The key
 * of a name-wide NXDOMAIN ({@link #anyType}) carries a bit no question key has, so no question,
 * whatever its type, can read or write that entry.
 */
public final class CacheKey {
  public static final int DO_BIT = 1;
  public static final int CD_BIT = 2;

  /** Set only by {@link #anyType}: the key stands for every type of the name. */
  private static final int ANY_TYPE_BIT = 4;

  private final byte[] bytes; // name | type(2) | class(2) | bits(1)
  private final int hash;

  CacheKey(byte[] bytes) {
    this.bytes = bytes;
    this.hash = Arrays.hashCode(bytes);
  }

  /** A key for {@code name} (wire form, any case) in {@code nameBytes[0, nameLength)}. */
  public static CacheKey of(byte[] name, int nameLength, int type, int dnsClass, int bits) {
    byte[] b = new byte[nameLength + 5];
    for (int i = 0; i < nameLength; i++) {
      b[i] = DnsWire.lower(name[i]);
    }
    DnsWire.putU16(b, nameLength, type);
    DnsWire.putU16(b, nameLength + 2, dnsClass);
    b[nameLength + 4] = (byte) (bits & (DO_BIT | CD_BIT));
    return new CacheKey(b);
  }

  /** The key of a name-wide NXDOMAIN for this key's name, class and bits. */
  public CacheKey anyType() {
    byte[] b = bytes.clone();
    DnsWire.putU16(b, nameLength(), 0);
    b[b.length - 1] |= ANY_TYPE_BIT;
    return new CacheKey(b);
  }

  /** Whether this is the key of a name-wide entry ({@link #anyType}), not of a question. */
  public boolean isAnyType() {
    return (bytes[bytes.length - 1] & ANY_TYPE_BIT) != 0;
  }

  public int nameLength() {
    return bytes.length - 5;
  }

  /** The lower-case name in wire form. */
  public byte[] name() {
    return Arrays.copyOf(bytes, nameLength());
  }

  /** Copies the question (name, type, class) in wire form into {@code dst} at {@code at}. */
  public int writeQuestion(byte[] dst, int at) {
    System.arraycopy(bytes, 0, dst, at, bytes.length - 1);
    return at + bytes.length - 1;
  }

  public int questionLength() {
    return bytes.length - 1;
  }

  public int type() {
    return DnsWire.u16(bytes, nameLength());
  }

  public int dnsClass() {
    return DnsWire.u16(bytes, nameLength() + 2);
  }

  public boolean dnssecOk() {
    return (bytes[bytes.length - 1] & DO_BIT) != 0;
  }

  public boolean checkingDisabled() {
    return (bytes[bytes.length - 1] & CD_BIT) != 0;
  }

  /** Whether this key's name is in {@code names} (no copy of the name is made). */
  boolean nameMatches(NameSet names) {
    return names.contains(bytes, nameLength());
  }

  /** The name as text, lower case, without trailing dot ("." for the root). */
  public String nameText() {
    return DomainNames.toText(bytes, 0);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CacheKey k && k.hash == hash && Arrays.equals(k.bytes, bytes);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    String type = isAnyType() ? "*" : String.valueOf(type());
    int bits = bytes[bytes.length - 1] & (DO_BIT | CD_BIT);
    return nameText() + "/" + type + "/" + dnsClass() + "/" + bits;
  }
}
