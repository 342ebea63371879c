package dev.nodecache.agent.upstream;

import dev.nodecache.agent.metrics.AgentMetrics;
import dev.nodecache.agent.net.IoTransport;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * One query over UDP from a socket of its own: a fresh, kernel-chosen random source port for every
 * query (RFC 5452 §9.2), closed as soon as the matching reply, an error or the timeout comes.
 */
interface UdpExchange {
  /**
   * Completes with the reply on {@code loop}, or exceptionally with {@link UpstreamFailure}; {@code
   * loop} must come from a group of the transport this exchange was made for.
   */
  CompletableFuture<byte[]> send(
      EventLoop loop, InetSocketAddress server, byte[] query, long timeoutMillis);

  static UdpExchange over(IoTransport transport, AgentMetrics metrics) {
    return transport.isEpoll()
        ? new EpollUdpExchange(metrics)
        : new ChannelUdpExchange(transport, metrics);
  }
}
