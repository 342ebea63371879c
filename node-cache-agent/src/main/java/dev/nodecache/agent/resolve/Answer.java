package dev.nodecache.agent.resolve;

import dev.nodecache.agent.cache.CachedAnswer;

/** What to send a client: an answer, and whether it is served stale (RFC 8767). */
public record Answer(CachedAnswer entry, boolean stale) {}
