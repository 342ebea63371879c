package dev.nodecache.local.api;

import java.nio.file.Path;

/** Where the (simulated) kubelet writes a pod's container output, as a node keeps it. */
@FunctionalInterface
public interface PodLogFiles {
  /** The log file of a pod, or null when this kubelet runs nothing for it. */
  Path of(String namespace, String pod);
}
