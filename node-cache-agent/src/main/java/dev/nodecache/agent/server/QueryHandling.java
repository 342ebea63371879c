package dev.nodecache.agent.server;

import dev.nodecache.agent.cache.CachedAnswer;
import dev.nodecache.agent.cache.TtlPolicy;
import dev.nodecache.agent.config.AgentConfig.CacheRules;
import dev.nodecache.agent.dns.BadQuery;
import dev.nodecache.agent.dns.ClientQuery;
import dev.nodecache.agent.dns.QueryParser;
import dev.nodecache.agent.metrics.AgentMetrics;
import dev.nodecache.agent.metrics.AgentMetrics.Proto;
import dev.nodecache.agent.resolve.Answer;
import dev.nodecache.agent.resolve.QueryResolver;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What UDP and TCP share: parse, answer from the cache or resolve, and hand the response bytes to
 * the transport. Never throws: bad input becomes FORMERR/NOTIMP or a counted drop.
 */
final class QueryHandling {
  private static final Logger log = LoggerFactory.getLogger(QueryHandling.class);

  private final QueryResolver resolver;
  private final AgentMetrics metrics;
  private final Function<ClientQuery, CacheRules> rules;

  QueryHandling(
      QueryResolver resolver, AgentMetrics metrics, Function<ClientQuery, CacheRules> rules) {
    this.resolver = resolver;
    this.metrics = metrics;
    this.rules = rules;
  }

  /**
   * Answers {@code packet}. A response ready now is returned; one that needs the upstream is passed
   * to {@code later} when it comes (from another thread, possibly) and null returned.
   */
  ByteBuf handle(
      ByteBuf packet,
      Proto proto,
      ByteBufAllocator alloc,
      EventLoop loop,
      Consumer<ByteBuf> later) {
    boolean tcp = proto == Proto.TCP;
    long started = System.nanoTime();
    ClientQuery q;
    try {
      q = QueryParser.parse(packet);
    } catch (BadQuery bad) {
      metrics.dropped(bad.reply == null ? bad.reason : "answered_" + bad.reason);
      return bad.reply == null ? null : ResponseWriter.error(alloc, bad.reply, tcp);
    }
    metrics.request(proto, q.type());
    long now = resolver.now();
    CachedAnswer hit = resolver.lookup(q, now);
    if (hit != null) {
      ByteBuf out = ResponseWriter.write(alloc, hit, q, now, -1, resolver.servedTtlCap(q.key), tcp);
      metrics.answered(System.nanoTime() - started, true, false);
      return out;
    }
    resolver
        .resolve(q, loop)
        .whenComplete(
            (answer, err) -> {
              if (err != null) {
                log.warn("resolving {} failed unexpectedly", q.key, err);
                return;
              }
              later.accept(write(alloc, answer, q, tcp));
              metrics.answered(System.nanoTime() - started, false, answer.stale());
            });
    return null;
  }

  private ByteBuf write(ByteBufAllocator alloc, Answer answer, ClientQuery q, boolean tcp) {
    int staleTtl = -1;
    if (answer.stale()) {
      metrics.servedStale.increment();
      staleTtl = TtlPolicy.staleAnswerTtl(rules.apply(q));
    }
    return ResponseWriter.write(
        alloc, answer.entry(), q, resolver.now(), staleTtl, resolver.servedTtlCap(q.key), tcp);
  }
}
