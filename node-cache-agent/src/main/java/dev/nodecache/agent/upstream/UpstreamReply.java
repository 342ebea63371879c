package dev.nodecache.agent.upstream;

import org.xbill.DNS.Message;

/** A reply that passed the anti-spoofing checks and parses, with the server that sent it. */
public record UpstreamReply(Message message, Upstream server) {}
