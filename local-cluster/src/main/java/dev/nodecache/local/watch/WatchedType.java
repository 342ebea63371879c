package dev.nodecache.local.watch;

/** A resource type whose changes the watch cache keeps: its group, version and plural. */
public record WatchedType(String group, String version, String plural, boolean namespaced) {
  String key() {
    return group + "/" + version + "/" + plural;
  }
}
