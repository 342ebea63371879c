package dev.nodecache.agent.dns;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Longest-suffix match of a name against configured zones ("." matches everything). */
public final class ZoneMatcher<T> {
  private record Zone<T>(byte[] wire, T value) {}

  private final List<Zone<T>> zones; // longest first, so the first match is the longest
  private final T fallback;

  public ZoneMatcher(Map<String, T> byZone, T fallback) {
    List<Zone<T>> list = new ArrayList<>();
    byZone.forEach((zone, value) -> list.add(new Zone<>(DomainNames.toWire(zone), value)));
    list.sort(Comparator.comparingInt((Zone<T> z) -> z.wire().length).reversed());
    this.zones = List.copyOf(list);
    this.fallback = fallback;
  }

  /** The value of the longest zone containing {@code name} (lower-case wire form). */
  public T match(byte[] name, int nameLength) {
    for (Zone<T> z : zones) {
      if (DomainNames.endsWith(name, nameLength, z.wire())) {
        return z.value();
      }
    }
    return fallback;
  }

  public T match(String name) {
    byte[] wire = DomainNames.toWire(name);
    return match(wire, wire.length);
  }
}
