package dev.nodecache.agent.upstream;

import dev.nodecache.agent.dns.WireReply;

/** A reply that passed the anti-spoofing checks and reads as a message, with its server. */
public record UpstreamReply(WireReply message, Upstream server) {}
