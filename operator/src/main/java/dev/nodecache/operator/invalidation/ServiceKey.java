package dev.nodecache.operator.invalidation;

/** A Service by namespace and name: the {@code <svc>.<ns>} of its cluster DNS names. */
record ServiceKey(String namespace, String name) {
  /** {@code <svc>.<ns>.svc}, the part of its names before the cluster domain. */
  String relativeName() {
    return name + "." + namespace + ".svc";
  }
}
