package dev.nodecache.local.watch;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One change as a watch delivers it: ADDED, MODIFIED or DELETED, the object after the change (for
 * DELETED: as it was, with the deletion's resourceVersion), the object before it (null for ADDED),
 * and the resourceVersion the change was stored at.
 */
public record WatchEvent(
    long resourceVersion, String type, ObjectNode object, ObjectNode previous) {}
